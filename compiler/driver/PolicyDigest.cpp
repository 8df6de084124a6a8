#include "driver/PolicyDigest.hpp"

#include <openssl/evp.h>

#include <stdexcept>

namespace netsep::driver {

std::string sha256Hex(std::string_view bytes) {
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int len = 0;
    if (EVP_Digest(bytes.data(), bytes.size(), md, &len, EVP_sha256(), nullptr) != 1)
        throw std::runtime_error("SHA-256 failed (OpenSSL EVP_Digest)");
    static constexpr char kHex[] = "0123456789abcdef";
    std::string out;
    out.reserve(2 * len);
    for (unsigned int i = 0; i < len; ++i) {
        out += kHex[md[i] >> 4];
        out += kHex[md[i] & 0xf];
    }
    return out;
}

PolicyDigest PolicyDigest::of(const SourceManager& sources) {
    PolicyDigest d;
    if (sources.size() == 0)
        return d;
    for (size_t i = 0; i < sources.size(); ++i) {
        const auto& f = sources.file(static_cast<uint32_t>(i));
        std::string path = f.tracePath;
        // A file name cannot carry a newline into the manifest's line format.
        for (char& c : path)
            if (c == '\n' || c == '\r')
                c = '?';
        File file{std::move(path), sha256Hex(f.text)};
        d.manifest += file.sha256 + "  " + file.path + "\n";
        d.files.push_back(std::move(file));
    }
    d.digest = "sha256:" + sha256Hex(d.manifest);
    return d;
}

} // namespace netsep::driver
