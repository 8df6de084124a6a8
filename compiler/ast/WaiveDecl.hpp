#pragma once
#include "ast/Word.hpp"

#include <optional>

namespace netsep::ast {

// waive hop A -> B [service S] until DATE because "..." ticket "..." [owner "..."]
struct WaiveDecl {
    Word from;
    Word to;
    std::optional<WordList> services;
    Word until;
    Word because;
    Word ticket;
    std::optional<Word> owner;
    SourceSpan span;
};

} // namespace netsep::ast
