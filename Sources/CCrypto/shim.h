// CCrypto — OpenSSL's libcrypto for Swift: only its EVP digest interface, for the SHA-256 of downloads (only Hub
// imports it; Hub/LibcryptoSHA256.swift).
#ifndef LMLAB_CCRYPTO_SHIM_H
#define LMLAB_CCRYPTO_SHIM_H

// Checked before anything else is included, so a missing package gives this one line, not a cascade.
#if __has_include(<openssl/evp.h>)
#include <openssl/evp.h>
#else
#error "LMLab needs the OpenSSL development headers (libcrypto). Install them, then build again: Debian/Ubuntu: sudo apt-get install libssl-dev | macOS: brew install openssl@3"
#endif

#endif
