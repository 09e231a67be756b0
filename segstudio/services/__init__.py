"""Qt-free logic behind the app shell: the bundled backend process, sign-in, the segment list."""
