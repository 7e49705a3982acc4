// CReadline — GNU readline and history for Swift (only REPL imports it).
#ifndef LMLAB_CREADLINE_SHIM_H
#define LMLAB_CREADLINE_SHIM_H

// Checked before anything else is included, so a missing package gives this one line, not a cascade.
#if __has_include(<readline/readline.h>) && __has_include(<readline/history.h>)
#include <stdio.h>
#include <readline/readline.h>
#include <readline/history.h>
#else
#error "LMLab needs the GNU readline development headers. Install them, then build again: Debian/Ubuntu: sudo apt-get install libreadline-dev | macOS: brew install readline"
#endif

#endif
