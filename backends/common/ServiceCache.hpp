#pragma once
#include "lower/LoweredPolicy.hpp"

#include <string>
#include <unordered_map>

namespace netsep::backends::vendor {

// What a vendor backend made of a rule's service (the name of an
// application, service or group it defined), remembered by the service's
// content: protocol, ports and ICMP types, and those of a tcp/udp twin
// (lower::tcpUdpTwins). A firewall's rules repeat a few hundred services
// thousands of times, and working one out again (atoms, names, table
// lookups) costs more than this lookup. `make` runs on the first use of a
// content only, so the objects it defines are defined in the same order
// as without the cache.
class ServiceCache {
public:
    template <typename Make>
    const std::string& get(const lower::Match& m, const lower::Match* twin, Make&& make) {
        key_.clear();
        append(m);
        if (twin) {
            key_ += '|';
            append(*twin);
        }
        if (auto it = made_.find(key_); it != made_.end())
            return it->second;
        std::string made = make();
        return made_.emplace(key_, std::move(made)).first->second;
    }

private:
    void append(const lower::Match& m);
    std::string key_; // get()'s lookup key, kept across calls
    std::unordered_map<std::string, std::string> made_;
};

} // namespace netsep::backends::vendor
