#pragma once
#include "diag/SourceSpan.hpp"

#include <optional>
#include <string>
#include <vector>

namespace netsep::model {

struct Interface {
    std::string name;
    uint32_t zone = 0;
    SourceSpan span;
};

struct Firewall {
    std::string name;
    std::vector<std::string> backends; // registered backend names, in written order
    std::vector<Interface> interfaces;
    std::optional<std::string> identityEnforcedBy; // downgrades identity errors to notes
    SourceSpan span;
};

} // namespace netsep::model
