/*
 * photo-page.c -- prints the features the photo plugin's picture/page rule
 * looks at, and its decision, for each image given (bench/captions).
 */
#include <config.h>

#include <stdio.h>

#include "photo.h"

int main(int argc, char **argv)
{
    static const char *const names[] = {"picture", "document", "album"};
    printf("decision\tpaper\trows\ttext_area\tpicture\tcaption_rows\tfile\n");
    for (int i = 1; i < argc; i++) {
        photo_page_features f;
        char err[256];
        if (pledgex__photo_page_features(argv[i], INT64_C(100000000), &f, NULL, err, sizeof err)) {
            printf("error\t\t\t\t\t\t%s: %s\n", argv[i], err);
            continue;
        }
        printf("%s\t%.3f\t%d\t%.3f\t%.3f\t%d\t%s\n", names[pledgex__photo_page_classify(&f)],
               f.paper, f.text_lines, f.text_area, f.picture ? f.picture_frac : 0.0,
               f.caption_below, argv[i]);
    }
    return 0;
}
