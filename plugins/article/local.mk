# plugins/article: filled in by its issue
