#pragma once
#include "lower/LoweredPolicy.hpp"
#include "model/AddressSet.hpp"

#include <array>
#include <cstdint>
#include <vector>

namespace netsep::lower {

// Where an address object's addresses of one family lie relative to the
// firewall's declared set (LoweredFirewall::declaredV4/V6: every address a
// zone or SaaS endpoint owns; the catch-all zone is everything outside it).
// Backends that match the catch-all by a test of the declared set (the
// nftables split chains, the iptables classification chains) send each rule
// to the side its objects can match.
enum class Placement : uint8_t {
    Empty,    // no address of the family
    CatchAll, // negated: every address outside the declared set
    Outside,  // only addresses outside the declared set (or nothing is declared)
    Declared, // only declared addresses
    Both,     // some of each
};

// The placement of `object` against `declared` (neither negated).
Placement placeAgainst(const model::AddressSet& declared, const model::AddressSet& object);

// Every object of a firewall, placed once per family.
class DeclaredPlacement {
public:
    explicit DeclaredPlacement(const LoweredFirewall& fw);

    Placement of(uint32_t object, model::Family f) const { return placement_[idx(f)].at(object); }
    // The object's addresses of the family; a negated object's are every
    // address (a /0): its test is the declared set's, made elsewhere.
    const model::AddressSet& addresses(uint32_t object, model::Family f) const {
        return addresses_[idx(f)].at(object);
    }
    const model::AddressSet& declared(model::Family f) const { return declared_[idx(f)]; }

private:
    static std::size_t idx(model::Family f) { return f == model::Family::V4 ? 0 : 1; }

    std::array<model::AddressSet, 2> declared_;
    std::array<std::vector<model::AddressSet>, 2> addresses_; // per family, per object
    std::array<std::vector<Placement>, 2> placement_;         // per family, per object
};

} // namespace netsep::lower
