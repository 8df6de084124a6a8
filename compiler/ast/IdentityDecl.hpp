#pragma once
#include "ast/Word.hpp"

#include <optional>

namespace netsep::ast {

struct IdentityDecl {
    Word name;
    std::optional<Word> idp;
    std::optional<Word> group;
    std::optional<Word> device;
    std::optional<Word> mfa;
    SourceSpan span;
};

} // namespace netsep::ast
