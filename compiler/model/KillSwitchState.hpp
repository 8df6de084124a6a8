#pragma once
#include "diag/SourceSpan.hpp"
#include "model/Date.hpp"

#include <string>

namespace netsep::model {

// `kill-switch GROUP engaged since DATE by "WHO" ticket "ID" [reason "..."]`:
// the policy records that a kill-switch group is switched off. Every
// compile then emits the group's exceptions disabled, so a routine deploy
// keeps the switch where the incident response put it.
struct KillSwitchState {
    std::string group;
    Date since;
    std::string orderedBy;
    std::string ticket;
    std::string reason; // empty when not given
    SourceSpan span;
    SourceSpan groupSpan;
};

} // namespace netsep::model
