#pragma once
#include "lower/DeclaredPlacement.hpp"
#include "lower/LoweredPolicy.hpp"
#include "model/AddressSet.hpp"

#include <array>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace netsep::backends::nft {

// Which address tests the nftables table can leave out of its rules.
//
// Ahead of the zone-pair dispatch, the table drops a packet whose source
// lies outside the scope of its input interface, or whose destination lies
// outside the scope of its output interface. A scope is what the
// interface's zones own (LoweredFirewall::zoneAddresses), widened by any
// address object a rule tests on that side, so a dropped packet could
// match no rule of its pair chain: it met the pair's default deny before,
// only the counter changes. In a pair chain, a rule then need not test an
// address object that covers the whole scope of its side (a whole zone):
// a rule between two whole zones becomes one line for IPv4 and IPv6
// together.
//
// The catch-all zone's scope is every address. Its pair chains first send
// a packet whose address on the catch-all side is declared (owned by
// another zone or a SaaS endpoint) to a chain of its own ("split"), so
// that in the main chain the catch-all object needs no test either. Every
// rule goes to the variant whose addresses it can match.
enum class Side : uint8_t { None, Source, Destination };
enum class Variant : uint8_t { All, Outside, Declared };

class AddressScope {
public:
    explicit AddressScope(const lower::LoweredFirewall& fw);

    // Per interface name (sorted) and family: the addresses packets may
    // carry on the source (ingress) or destination (egress) side.
    const std::map<std::string, std::array<model::AddressSet, 2>>& ingress() const {
        return ingress_;
    }
    const std::map<std::string, std::array<model::AddressSet, 2>>& egress() const {
        return egress_;
    }
    // The catch-all side the pair chain splits on, or None.
    Side split(std::size_t pair) const { return split_.at(pair); }
    // Whether the rule can match a packet of the family in the variant of
    // its pair chain (always, for Variant::All).
    bool inVariant(std::size_t pair, const lower::LoweredRule& r, Variant v, model::Family f) const;
    // Whether the rule can match a packet of either family in the variant.
    bool matchesIn(std::size_t pair, const lower::LoweredRule& r, Variant v) const;
    // Whether the object's test on that side is implied for every packet
    // of the family that reaches the variant of the pair chain.
    bool implied(std::size_t pair, uint32_t object, Side side, Variant v, model::Family f) const;

private:
    static std::size_t idx(model::Family f) { return f == model::Family::V4 ? 0 : 1; }

    const lower::LoweredFirewall& fw_;
    lower::DeclaredPlacement placement_; // per object and family
    std::map<std::string, std::array<model::AddressSet, 2>> ingress_, egress_;
    // Per pair and family: what the interface checks leave on each side.
    std::vector<std::array<model::AddressSet, 2>> pairIn_, pairOut_;
    std::vector<Side> split_;
};

} // namespace netsep::backends::nft
