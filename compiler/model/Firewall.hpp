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
    // `forward-policy drop`: netsep also drops routed traffic that is not
    // between two of its interfaces (Linux backends: the forward hook's
    // policy). Off by default: the host's other forwarding is left alone.
    bool forwardPolicyDrop = false;
    SourceSpan span;
};

} // namespace netsep::model
