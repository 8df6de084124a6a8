#pragma once
#include "ast/Word.hpp"

#include <optional>

namespace netsep::ast {

enum class ExpectKind { Allow, Deny, NoPath };

struct ExpectDecl {
    ExpectKind kind = ExpectKind::Allow;
    Word from;
    Word to;
    std::optional<WordList> services;
    SourceSpan span;
};

} // namespace netsep::ast
