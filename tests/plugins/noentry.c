/* noentry.c -- a shared object without the pledgex entry symbol. */
int pledgex_test_not_an_entry(void);

int pledgex_test_not_an_entry(void)
{
    return 42;
}
