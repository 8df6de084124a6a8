#pragma once
#include "ast/Word.hpp"

#include <optional>

namespace netsep::ast {

struct ZoneDecl {
    Word name;
    std::optional<Word> parent; // zone NAME in PARENT { ... }
    std::optional<Word> kind;
    std::optional<Word> level;
    WordList networks;
    bool crownJewel = false;
    bool isolated = false;
    bool quarantineAccess = false;
    SourceSpan span;
};

} // namespace netsep::ast
