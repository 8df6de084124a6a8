#pragma once
#include <cstddef>
#include <string>
#include <string_view>

namespace netsep::backends {

// `raw` with every character for which `allowed` is false replaced by '_',
// clipped to `maxBytes` (ending in "..." when clipped and maxBytes >= 3).
// A template so the predicate inlines: it runs for every byte of every
// emitted rule's comment (5% of a 100,000-rule compile as a function pointer).
template <typename Allowed>
std::string sanitizeText(std::string_view raw, std::size_t maxBytes, Allowed allowed) {
    const bool clipped = raw.size() > maxBytes;
    std::string out(clipped ? raw.substr(0, maxBytes) : raw);
    for (char& c : out)
        if (!allowed(c))
            c = '_';
    if (clipped && maxBytes >= 3)
        out.replace(maxBytes - 3, 3, "...");
    return out;
}

// `s` cut to at most `n` bytes.
std::string clipBytes(std::string s, std::size_t n);

} // namespace netsep::backends
