#pragma once
#include "analysis/ServiceSpace.hpp"
#include "lower/LoweredPolicy.hpp"
#include "model/AddressSet.hpp"

#include <map>
#include <string>
#include <utility>
#include <vector>

namespace netsep::review {

// The packets one lowered match accepts, as a service space: what a
// backend's protocol/port/type condition matches (Proto::Any: everything).
analysis::ServiceSpace spaceOfMatch(const lower::Match& match);

// First-match evaluation helpers over one lowered firewall: the same
// conditions the nftables and iptables backends print (interface pair ->
// zone pair, source and destination address objects per family, protocol
// and ports), so `explain` decides as the loaded ruleset does.
class FirewallMatcher {
public:
    explicit FirewallMatcher(const lower::LoweredFirewall& fw);
    // The zone pair for traffic entering on `from`'s interfaces and leaving
    // on `to`'s; null when no rule exists for it (default deny).
    const lower::ZonePair* pair(const std::string& from, const std::string& to) const;
    // Whether a rule's address and family conditions hold for the hosts.
    bool matches(const lower::LoweredRule& rule, const model::IpPrefix& src,
                 const model::IpPrefix& dst) const;

private:
    const lower::LoweredFirewall& fw_;
    std::vector<model::AddressSet> objects_; // per address object, both families
    std::map<std::pair<std::string, std::string>, size_t> pairs_;
};

} // namespace netsep::review
