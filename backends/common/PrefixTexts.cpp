#include "backends/common/PrefixTexts.hpp"

#include "backends/common/PrefixNormalize.hpp"
#include "backends/common/VendorCommon.hpp"

#include <mutex>

namespace netsep::backends::vendor {

namespace {

// Lists at least this long are shared; below it, formatting costs less
// than keeping the list in the cache.
constexpr std::size_t kSharedFrom = 64;
// Distinct long lists kept: a policy has one per family; a few more cover
// the test suites that compile several policies in one process.
constexpr std::size_t kKept = 8;

std::shared_ptr<const std::vector<PrefixText>>
format(const std::vector<model::IpPrefix>& prefixes) {
    auto out = std::make_shared<std::vector<PrefixText>>();
    for (const auto& p : normalizePrefixes(prefixes)) {
        std::string address = model::formatAddress(p.family, p.addr);
        std::string cidr = address + "/" + std::to_string(p.len);
        std::string name = prefixName(p);
        std::string owned = std::string(kOwnedPrefix) + name;
        out->push_back({p, std::move(address), std::move(cidr), std::move(name), std::move(owned)});
    }
    return out;
}

struct Cached {
    std::vector<model::IpPrefix> prefixes;
    std::shared_ptr<const std::vector<PrefixText>> texts;
};

} // namespace

std::shared_ptr<const std::vector<PrefixText>>
prefixTexts(const std::vector<model::IpPrefix>& prefixes) {
    if (prefixes.size() < kSharedFrom)
        return format(prefixes);
    static std::mutex mutex;
    static std::vector<Cached> cache; // most recently used last
    std::lock_guard lock(mutex);
    for (std::size_t i = cache.size(); i-- > 0;)
        if (cache[i].prefixes == prefixes) {
            auto texts = cache[i].texts;
            if (i + 1 != cache.size())
                std::swap(cache[i], cache.back());
            return texts;
        }
    if (cache.size() == kKept)
        cache.erase(cache.begin());
    cache.push_back({prefixes, format(prefixes)});
    return cache.back().texts;
}

} // namespace netsep::backends::vendor
