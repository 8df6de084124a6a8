#pragma once
#include "diag/SourceSpan.hpp"
#include "model/AddressSet.hpp"
#include "model/Date.hpp"

#include <optional>
#include <string>
#include <vector>

namespace netsep::model {

// An outside service endpoint (AI API, security SaaS).
struct Saas {
    std::string name;
    std::string provider;
    std::vector<std::string> fqdns;
    std::vector<IpPrefix> networks;
    AddressSet addresses; // owned after longest-prefix match
    std::optional<std::string> screeningRef;
    std::optional<Date> screeningDate;
    std::optional<uint32_t> behindZone; // default: the firewall's internet zone
    SourceSpan span;
};

struct Identity {
    std::string name;
    std::string idp;
    std::string group;
    std::string device; // e.g. "managed"
    std::string mfa;    // e.g. "required"
    SourceSpan span;
};

} // namespace netsep::model
