#pragma once
#include "diag/SourceManager.hpp"

#include <string>
#include <vector>

namespace netsep::driver {

// Which policy inputs a run read, and one digest over all of them, so that
// every artifact and report can say exactly which policy version made it.
// The manifest is in `sha256sum` format, one line per loaded file in load
// order ("<hex>  <path relative to the top file's directory>"), and the
// policy digest is the SHA-256 of that manifest: an auditor can recompute
// both with coreutils alone. Paths are relative so that the digest does not
// depend on where the tree is checked out.
struct PolicyDigest {
    struct File {
        std::string path;   // relative to the top file's directory, '/' separated
        std::string sha256; // lowercase hex of the file's bytes
    };
    std::vector<File> files;
    std::string manifest; // the text that `digest` is the SHA-256 of
    std::string digest;   // "sha256:" + lowercase hex

    static PolicyDigest of(const SourceManager& sources);
};

// Lowercase hex SHA-256 of `bytes` (OpenSSL libcrypto).
std::string sha256Hex(std::string_view bytes);

} // namespace netsep::driver
