#pragma once
#include "ast/Word.hpp"

#include <optional>

namespace netsep::ast {

struct PolicyDecl {
    Word name;
    std::optional<Word> owner;
    SourceSpan span;
};

} // namespace netsep::ast
