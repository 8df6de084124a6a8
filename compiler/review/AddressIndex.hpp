#pragma once
#include "model/IpPrefix.hpp"
#include "model/Policy.hpp"

#include <optional>
#include <string>
#include <vector>

namespace netsep::review {

// Who owns one address, by the policy's longest-prefix ownership: a zone (and
// the groups of that zone holding it, smallest first) or a saas endpoint.
struct Owner {
    std::optional<uint32_t> zone;
    std::vector<uint32_t> groups;
    std::optional<uint32_t> saas;
    bool owned() const { return zone || saas; }
};

// Address -> owner lookups in O(log n) over every zone and saas range.
class AddressIndex {
public:
    explicit AddressIndex(const model::Policy& policy);

    Owner ownerOf(model::Family family, model::u128 address) const;
    // The most specific endpoint holding the address: its smallest group,
    // else its zone, else its saas endpoint.
    static std::optional<model::Endpoint> mostSpecific(const Owner& owner);
    // A host that stands for an endpoint (when a name is given instead of an
    // address): a zone's first address outside its groups (its groups may
    // be reached differently), a group's or saas endpoint's first address;
    // the second address of a range when there is one (not the network
    // address). `family` picks the family when the endpoint has both.
    std::optional<model::IpPrefix>
    representative(const model::Endpoint& e,
                   std::optional<model::Family> family = std::nullopt) const;

    // "zone office (internal, sensitive), group traders" for messages.
    std::string describe(const Owner& owner) const;

private:
    struct Entry {
        model::Family family;
        model::u128 lo, hi;
        model::Endpoint owner; // a zone or a saas endpoint
    };
    const model::Policy& policy_;
    std::vector<Entry> entries_;                    // sorted by (family, lo), disjoint
    std::vector<std::vector<uint32_t>> zoneGroups_; // groups of each zone
};

// A host address given on the command line ("10.60.5.23", "fd00::1"); a
// prefix or anything else is nullopt.
std::optional<model::IpPrefix> parseHost(const std::string& text);

} // namespace netsep::review
