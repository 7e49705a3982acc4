// CNcursesw — the ncursesw wide-character API for Swift (only TerminalUI imports it).
#ifndef LMLAB_CNCURSESW_SHIM_H
#define LMLAB_CNCURSESW_SHIM_H

#define NCURSES_WIDECHAR 1
#ifndef _XOPEN_SOURCE_EXTENDED
#define _XOPEN_SOURCE_EXTENDED 1
#endif

// Checked before anything else is included, so a missing package gives this one line, not a cascade.
#if !__has_include(<ncursesw/curses.h>) && !__has_include(<curses.h>)
#error "LMLab needs the ncursesw development headers. Install them, then build again: Debian/Ubuntu: sudo apt-get install libncurses-dev   (older releases: libncursesw5-dev) | macOS: brew install ncurses"
#else
#include <locale.h>
#include <wchar.h>
#if __has_include(<ncursesw/curses.h>)
#include <ncursesw/curses.h>
#else
#include <curses.h>
#endif

// Swift's Glibc module hides these; declare them so display widths are measured in cells, never in Characters.
extern int wcwidth(wchar_t c);
extern int wcswidth(const wchar_t *s, size_t n);

// Function-like macros are invisible to Swift: wrap the ones we use.
static inline int lmlab_color_pair(int n) { return (int)COLOR_PAIR(n); }
static inline attr_t lmlab_a_bold(void) { return A_BOLD; }
static inline attr_t lmlab_a_dim(void) { return A_DIM; }
static inline attr_t lmlab_a_reverse(void) { return A_REVERSE; }
static inline attr_t lmlab_a_underline(void) { return A_UNDERLINE; }
static inline WINDOW *lmlab_stdscr(void) { return stdscr; }
static inline int lmlab_lines(void) { return LINES; }
static inline int lmlab_cols(void) { return COLS; }

#endif

#endif
