# plugins/pdf: filled in by its issue
