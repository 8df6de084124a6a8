#pragma once
#include "ast/Word.hpp"

#include <optional>

namespace netsep::ast {

// kill-switch GROUP engaged since DATE by "WHO" ticket "ID" [reason "..."]
struct KillSwitchDecl {
    Word group;
    Word since;
    Word by;
    Word ticket;
    std::optional<Word> reason;
    SourceSpan span;
};

} // namespace netsep::ast
