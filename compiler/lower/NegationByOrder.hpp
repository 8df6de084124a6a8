#pragma once
#include "lower/LoweredPolicy.hpp"
#include "lower/NegatedAddresses.hpp"

#include <optional>
#include <vector>

namespace netsep::lower {

// For first-match ACLs without a negated address match (Cisco ASA): the
// rules of one ACL reordered so that a single deny of the exclusion stands
// in for the negated object, instead of listing its complement:
//
//   before...                      rules that cannot match a negated address
//   deny <exclusion> (on `side`)   what the negated object leaves out
//   after...                       the negated object's rules, `side` = any
//
// Valid because a rule of `before` either matches only addresses the
// negated object excludes (disjoint from every rule of `after` on `side`,
// so their order does not matter), or may overlap it (an FQDN, an address
// outside the exclusion) and then no `after` rule that preceded it could
// give a packet both match another verdict. An address the exclusion holds
// that no `before` rule took would have matched no `after` rule either:
// the deny drops what the ACL's closing deny dropped before.
struct NegationByOrder {
    enum class Side { Source, Destination };
    Side side = Side::Source;
    uint32_t object = 0; // the negated object: every `after` rule has it on `side`
    Exclusion exclusion;
    std::vector<const LoweredRule*> before, after; // each in the order of `rules`
};

// nullopt when `rules` (one ACL, in evaluation order) has no negated object,
// or when the order cannot stand in for it: negated objects on both sides
// or two different ones, an object exclusionOf cannot say, or a rule that
// may overlap an earlier rule of the negated object with another action
// (addresses and service). The caller then lists the object out.
std::optional<NegationByOrder> negationByOrder(const LoweredFirewall& fw,
                                               const std::vector<const LoweredRule*>& rules);

} // namespace netsep::lower
