#pragma once
#include "ast/Word.hpp"

#include <optional>

namespace netsep::ast {

struct SaasDecl {
    Word name;
    std::optional<Word> provider;
    WordList fqdns;
    WordList networks;
    std::optional<Word> screeningRef;
    std::optional<Word> screeningDate;
    std::optional<Word> behind;
    SourceSpan span;
};

} // namespace netsep::ast
