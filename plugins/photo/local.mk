# plugins/photo: filled in by its issue
