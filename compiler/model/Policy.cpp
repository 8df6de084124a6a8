#include "model/Policy.hpp"

namespace netsep::model {

const char* protoName(Proto p) {
    switch (p) {
    case Proto::Any:
        return "any";
    case Proto::Tcp:
        return "tcp";
    case Proto::Udp:
        return "udp";
    case Proto::Icmp:
        return "icmp";
    case Proto::Icmpv6:
        return "icmpv6";
    }
    return "any";
}

const char* zoneKindName(ZoneKind k) {
    static const char* names[] = {"internet", "dmz",     "internal", "datacenter",
                                  "rnd",      "devtest", "admin",    "saas"};
    return names[static_cast<int>(k)];
}

const char* levelName(Level l) {
    static const char* names[] = {"open", "sensitive", "classified"};
    return names[static_cast<int>(l)];
}

bool inForce(const Rule& rule, Date asOf) {
    if (!rule.exception)
        return true;
    const ExceptionInfo& x = *rule.exception;
    if (!x.validFrom || asOf < *x.validFrom)
        return false;
    if (x.validUntil && asOf > *x.validUntil)
        return false;
    return asOf <= x.expires;
}

const char* letterKindName(LetterKind k) {
    static const char* names[] = {"no-action-letter", "sandbox", "saas-general"};
    return names[static_cast<int>(k)];
}

int maxBasisDays(LetterKind k) {
    switch (k) {
    case LetterKind::NoActionLetter:
        return 365;
    case LetterKind::Sandbox:
        return 730;
    case LetterKind::SaasGeneral:
        return 184;
    }
    return 365;
}

std::optional<Date> regimeStart(LetterKind k) {
    if (k == LetterKind::SaasGeneral)
        return Date::parse("2026-04-20");
    return std::nullopt;
}

const std::string& Policy::endpointName(const Endpoint& e) const {
    switch (e.kind) {
    case Endpoint::Kind::Zone:
        return zones.at(e.index).name;
    case Endpoint::Kind::Group:
        return groups.at(e.index).name;
    case Endpoint::Kind::Saas:
        return saas.at(e.index).name;
    }
    return zones.at(e.index).name;
}

const AddressSet& Policy::endpointAddresses(const Endpoint& e) const {
    switch (e.kind) {
    case Endpoint::Kind::Zone:
        return zones.at(e.index).addresses;
    case Endpoint::Kind::Group:
        return groups.at(e.index).addresses;
    case Endpoint::Kind::Saas:
        return saas.at(e.index).addresses;
    }
    return zones.at(e.index).addresses;
}

std::optional<uint32_t> Policy::endpointZone(const Endpoint& e) const {
    switch (e.kind) {
    case Endpoint::Kind::Zone:
        return e.index;
    case Endpoint::Kind::Group:
        return groups.at(e.index).zone;
    case Endpoint::Kind::Saas:
        return saas.at(e.index).behindZone;
    }
    return std::nullopt;
}

} // namespace netsep::model

namespace netsep::model {

const KillSwitchState* Policy::engagedSwitch(const std::string& group) const {
    for (const auto& k : killSwitches)
        if (k.group == group)
            return &k;
    return nullptr;
}

} // namespace netsep::model
