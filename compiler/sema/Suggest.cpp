#include "sema/Suggest.hpp"

#include <algorithm>

namespace netsep::sema {

namespace {
size_t editDistance(std::string_view a, std::string_view b) {
    std::vector<size_t> prev(b.size() + 1), cur(b.size() + 1);
    for (size_t j = 0; j <= b.size(); ++j)
        prev[j] = j;
    for (size_t i = 1; i <= a.size(); ++i) {
        cur[0] = i;
        for (size_t j = 1; j <= b.size(); ++j)
            cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] != b[j - 1])});
        std::swap(prev, cur);
    }
    return prev[b.size()];
}
} // namespace

std::string closestName(std::string_view word, const std::vector<std::string>& candidates) {
    if (word.size() > 64)
        return {};
    size_t best = std::max<size_t>(1, word.size() / 3) + 1;
    std::string found;
    for (const auto& c : candidates) {
        if (c.size() > word.size() + best || word.size() > c.size() + best)
            continue;
        size_t d = editDistance(word, c);
        if (d < best || (d == best && !found.empty() && c < found)) {
            if (d < best)
                best = d;
            found = c;
        }
    }
    return found;
}

} // namespace netsep::sema
