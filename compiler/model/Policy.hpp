#pragma once
#include "model/Expectation.hpp"
#include "model/Firewall.hpp"
#include "model/KillSwitchState.hpp"
#include "model/Letter.hpp"
#include "model/Rule.hpp"
#include "model/Saas.hpp"
#include "model/Service.hpp"
#include "model/Zone.hpp"

#include <string>
#include <vector>

namespace netsep::model {

// The checked policy: every name resolved to an index, every CIDR normalised,
// every address owned by exactly one zone or saas endpoint. Vectors keep
// source order, which fixes the order of everything emitted.
struct Policy {
    std::string name;
    std::string owner;
    SourceSpan span;
    std::vector<Service> services;
    std::vector<Zone> zones;
    std::vector<Group> groups;
    std::vector<Identity> identities;
    std::vector<Saas> saas;
    std::vector<Rule> rules;
    std::vector<Firewall> firewalls;
    std::vector<Expectation> expectations;
    std::vector<Waiver> waivers;
    std::vector<KillSwitchState> killSwitches; // engaged groups, in source order
    std::vector<Letter> letters;

    const std::string& endpointName(const Endpoint& e) const;
    const AddressSet& endpointAddresses(const Endpoint& e) const;
    // The zone an endpoint sits in; nullopt for a saas endpoint that is not
    // `behind` a zone (it is reached through a firewall's internet zone).
    std::optional<uint32_t> endpointZone(const Endpoint& e) const;
    // The recorded state of an engaged kill-switch group; nullptr when the
    // group is not engaged.
    const KillSwitchState* engagedSwitch(const std::string& group) const;
};

} // namespace netsep::model
