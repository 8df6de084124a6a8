#pragma once
#include "diag/SourceSpan.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace netsep::model {

// `on BACKEND NAME`: the interface's name on one backend.
struct InterfaceAlias {
    std::string backend;
    std::string name;
    SourceSpan span; // of NAME
};

struct Interface {
    std::string name; // the policy's name, printed by backends without an alias
    uint32_t zone = 0;
    SourceSpan span;
    std::vector<InterfaceAlias> aliases; // at most one per backend of the firewall

    // The name `backend` prints for this interface.
    const std::string& nameOn(std::string_view backend) const {
        for (const auto& a : aliases)
            if (a.backend == backend)
                return a.name;
        return name;
    }
    // Where that name is written (the alias, or the interface itself).
    SourceSpan spanOn(std::string_view backend) const {
        for (const auto& a : aliases)
            if (a.backend == backend)
                return a.span;
        return span;
    }
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
