#pragma once
#include "diag/SourceSpan.hpp"
#include "model/AddressSet.hpp"

#include <optional>
#include <string>
#include <vector>

namespace netsep::model {

enum class ZoneKind : uint8_t { Internet, Dmz, Internal, Datacenter, Rnd, Devtest, Admin, Saas };
enum class Level : uint8_t { Open, Sensitive, Classified };

struct Zone {
    std::string name;
    std::optional<ZoneKind> kind;
    std::optional<Level> level;
    std::vector<IpPrefix> networks; // as written (normalised)
    AddressSet addresses;           // what the zone owns after longest-prefix match
    bool crownJewel = false;
    bool isolated = false;
    // Keeps its (policy-allowed) access to zones and groups that `netsep
    // quarantine` isolates, unless the command names other zones.
    bool quarantineAccess = false;
    std::optional<uint32_t> parent; // `zone NAME in PARENT`: carved out of PARENT on purpose
    SourceSpan span;
};

struct Group {
    std::string name;
    uint32_t zone = 0;
    std::vector<IpPrefix> members;
    AddressSet addresses;
    SourceSpan span;
};

const char* zoneKindName(ZoneKind k);
const char* levelName(Level l);

} // namespace netsep::model
