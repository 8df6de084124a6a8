#include "parse/SyntaxRecovery.hpp"

#include "parse/StatementSyntax.hpp"
#include "sema/Suggest.hpp"

#include "NetsepParser.h"

#include <DefaultErrorStrategy.h>
#include <Exceptions.h>
#include <InputMismatchException.h>
#include <atn/ATN.h>
#include <atn/ATNState.h>
#include <atn/ParserATNSimulator.h>
#include <misc/IntervalSet.h>

#include <cctype>
#include <optional>

namespace netsep {

namespace {

using antlr4::Token;
using P = NetsepParser;

constexpr size_t kMaxSyntaxErrors = 20;

// Where a statement's parse failed: the token and what would have fitted.
struct ErrorSite {
    Token* found = nullptr;
    antlr4::misc::IntervalSet expected;
};

// Records the first error of a statement and abandons the statement: no
// token is invented or dropped to carry on inside it (that is what makes
// cascades); the caller resynchronises at a statement boundary instead.
class StatementErrorStrategy final : public antlr4::DefaultErrorStrategy {
public:
    std::optional<ErrorSite> site;

    void reportError(antlr4::Parser* parser, const antlr4::RecognitionException& e) override {
        ErrorSite s;
        s.found = e.getOffendingToken() ? e.getOffendingToken() : parser->getCurrentToken();
        try {
            s.expected = e.getExpectedTokens();
        } catch (...) {
            s.expected = parser->getExpectedTokens();
        }
        site = std::move(s);
    }
    void recover(antlr4::Parser*, std::exception_ptr) override {
        throw antlr4::ParseCancellationException();
    }
    Token* recoverInline(antlr4::Parser* parser) override {
        throw antlr4::InputMismatchException(parser);
    }
    // The default sync deletes or skips tokens inside loops; here a token
    // that cannot continue a loop or block is an error at once, reported with
    // everything that could have come instead.
    void sync(antlr4::Parser* parser) override {
        using antlr4::atn::ATNState;
        ATNState* s = parser->getInterpreter<antlr4::atn::ParserATNSimulator>()
                          ->atn.states[parser->getState()];
        size_t la = parser->getTokenStream()->LA(1);
        antlr4::misc::IntervalSet next = parser->getATN().nextTokens(s);
        if (next.contains(Token::EPSILON) || next.contains(la))
            return;
        switch (s->getStateType()) {
        case ATNState::BLOCK_START:
        case ATNState::STAR_BLOCK_START:
        case ATNState::PLUS_BLOCK_START:
        case ATNState::STAR_LOOP_ENTRY:
        case ATNState::PLUS_LOOP_BACK:
        case ATNState::STAR_LOOP_BACK:
            throw antlr4::InputMismatchException(parser);
        default:
            return;
        }
    }
};

class Recovery {
public:
    Recovery(uint32_t fileId, antlr4::CommonTokenStream& tokens, NetsepParser& parser,
             DiagnosticEngine& diags)
        : file_(fileId), tokens_(tokens), parser_(parser), diags_(diags) {
        const antlr4::atn::ATN& atn = parser.getATN();
        statementStarts_ = atn.nextTokens(atn.ruleToStartState[P::RuleStatement]);
    }

    void run() {
        tokens_.fill();
        auto strategy = std::make_shared<StatementErrorStrategy>();
        parser_.setErrorHandler(strategy);
        parser_.setBuildParseTree(false);
        size_t errors = 0;
        while (tokens_.LA(1) != Token::EOF && errors < kMaxSyntaxErrors) {
            size_t start = tokens_.index();
            strategy->site.reset();
            try {
                parser_.statement();
                continue;
            } catch (const antlr4::ParseCancellationException&) {
            }
            ++errors;
            ErrorSite site = strategy->site.value_or(ErrorSite{tokens_.get(tokens_.index()), {}});
            size_t resume = report(start, site);
            tokens_.seek(std::max(resume, start + 1));
            if (errors == kMaxSyntaxErrors && tokens_.LA(1) != Token::EOF && last_)
                last_->notes.emplace_back(span(tokens_.LT(1)),
                                          "netsep stops reading this file after " +
                                              std::to_string(kMaxSyntaxErrors) + " syntax errors");
        }
    }

private:
    // ---- tokens ----------------------------------------------------------
    Token* at(size_t i) const { return tokens_.get(i); }
    bool onChannel(size_t i) const { return at(i)->getChannel() == Token::DEFAULT_CHANNEL; }
    size_t next(size_t i) const {
        for (++i; i < tokens_.size() && !onChannel(i); ++i) {
        }
        return i < tokens_.size() ? i : tokens_.size() - 1;
    }
    std::optional<size_t> previous(size_t i) const {
        while (i > 0) {
            --i;
            if (onChannel(i))
                return i;
        }
        return std::nullopt;
    }
    // The first token of its line (comments aside).
    bool startsLine(size_t i) const {
        auto p = previous(i);
        return !p || at(*p)->getLine() != at(i)->getLine();
    }
    // `kill-switch` is also an exception field: only `kill-switch NAME
    // engaged` starts a statement.
    bool isStatementKeyword(size_t i) const {
        const size_t type = at(i)->getType();
        if (type == P::KILL_SWITCH)
            return at(next(next(i)))->getType() == P::ENGAGED;
        return statementStarts_.contains(type);
    }

    // A statement keyword that starts a line inside the block of statement
    // `owner` begins a new statement (the block was never closed) -- unless
    // the block takes that keyword as a field and it is indented, as in
    //   access a {
    //     service https
    // (A block whose statement keyword is lost, 0, may be any of them.)
    static bool fieldOf(size_t blockKeyword, size_t type) {
        if (blockKeyword == 0)
            return type == P::SERVICE || type == P::GROUP || type == P::ZONE;
        switch (type) {
        case P::SERVICE:
            return blockKeyword == P::ACCESS || blockKeyword == P::DENY ||
                   blockKeyword == P::EXCEPTION || blockKeyword == P::LETTER;
        case P::GROUP:
            return blockKeyword == P::IDENTITY;
        case P::ZONE:
            return blockKeyword == P::FIREWALL;
        case P::KILL_SWITCH:
            return blockKeyword == P::EXCEPTION;
        default:
            return false;
        }
    }
    bool startsStatementInBlock(size_t i, size_t blockKeyword) const {
        return isStatementKeyword(i) && startsLine(i) &&
               (!fieldOf(blockKeyword, at(i)->getType()) || at(i)->getCharPositionInLine() == 0);
    }

    SourceSpan span(Token* t) const {
        SourceSpan s{file_, uint32_t(t->getLine()), uint32_t(t->getCharPositionInLine() + 1), 1};
        if (t->getType() != Token::EOF && t->getStopIndex() >= t->getStartIndex())
            s.length = uint32_t(t->getStopIndex() - t->getStartIndex() + 1);
        return s;
    }

    // ---- words -----------------------------------------------------------
    std::string literal(size_t type) const {
        std::string lit = parser_.getVocabulary().getLiteralName(type);
        return lit;
    }
    std::string keywordText(size_t type) const {
        std::string lit = literal(type);
        return lit.size() >= 2 ? lit.substr(1, lit.size() - 2) : lit;
    }
    bool isKeyword(size_t type) const {
        std::string k = keywordText(type);
        return !k.empty() && std::isalpha(static_cast<unsigned char>(k[0]));
    }
    static std::string shown(Token* tok) {
        if (!tok || tok->getType() == Token::EOF)
            return "end of file";
        std::string out;
        for (char c : tok->getText()) {
            auto u = static_cast<unsigned char>(c);
            if (u < 0x20 || u == 0x7f) {
                char buf[8];
                snprintf(buf, sizeof buf, "\\x%02x", u);
                out += buf;
            } else {
                out.push_back(c);
            }
        }
        if (out.size() > 40)
            out = out.substr(0, 40) + "...";
        return "'" + out + "'";
    }
    std::string describeExpected(const antlr4::misc::IntervalSet& expected) const {
        std::vector<std::string> words;
        bool statementStart = expected.contains(size_t(P::ZONE)) &&
                              expected.contains(size_t(P::ACCESS)) &&
                              expected.contains(size_t(P::FIREWALL));
        if (statementStart) {
            std::string list;
            for (size_t t : statementStarts_.toList())
                list += (list.empty() ? "" : ", ") + keywordText(t);
            words.push_back("a statement (" + list + ")");
        }
        for (size_t t : expected.toList()) {
            if (statementStart && statementStarts_.contains(t))
                continue;
            if (t == P::WORD)
                words.push_back("a name or value");
            else if (t == P::STRING)
                words.push_back("a quoted string");
            else if (t == Token::EOF)
                words.push_back("end of file");
            else if (std::string lit = literal(t); !lit.empty())
                words.push_back(lit);
        }
        std::string out;
        for (size_t i = 0; i < words.size(); ++i) {
            if (i > 0)
                out += i + 1 == words.size() ? " or " : ", ";
            out += words[i];
        }
        return out;
    }
    // The keyword of `expected` that `word` is most likely a typo of.
    std::string nearKeyword(const std::string& word, const antlr4::misc::IntervalSet& expected) {
        std::vector<std::string> candidates;
        for (size_t t : expected.toList())
            if (std::string k = keywordText(t); !k.empty() && t != P::WORD && t != P::STRING)
                candidates.push_back(k);
        return sema::closestName(word, candidates);
    }
    // "zone 'dmz'" for the statement that starts at token `s`.
    std::string statementName(size_t s) const {
        std::string out = at(s)->getText();
        size_t n = next(s);
        if (at(n)->getType() == P::WORD)
            out += " '" + at(n)->getText() + "'";
        return out;
    }

    // ---- one error -------------------------------------------------------
    // Reports the error of the statement starting at token `s` and returns the
    // token index where parsing resumes.
    size_t report(size_t s, const ErrorSite& site) {
        Token* found = site.found;
        size_t o = found ? found->getTokenIndex() : s;
        if (o < s)
            o = s;
        size_t keyword = isStatementKeyword(s) ? at(s)->getType() : 0;

        // The block this statement opened and has not closed at the error.
        constexpr size_t kNone = SIZE_MAX;
        size_t brace = kNone;
        int depth = 0;
        for (size_t i = s; i < o; i = next(i)) {
            if (at(i)->getType() == P::LBRACE && depth++ == 0)
                brace = i;
            else if (at(i)->getType() == P::RBRACE && depth > 0 && --depth == 0)
                brace = kNone;
        }
        if (brace != kNone) {
            // A statement keyword at the start of a line inside the block: the
            // '}' is missing before it.
            for (size_t i = next(brace); i <= o && i < tokens_.size(); i = next(i)) {
                if (at(i)->getType() == Token::EOF)
                    break;
                if (startsStatementInBlock(i, keyword)) {
                    unclosed(s, brace, at(i));
                    return i;
                }
                if (i == o)
                    break;
            }
            if (found && found->getType() == Token::EOF) {
                unclosed(s, brace, found);
                return o;
            }
        }

        Diagnostic d{Severity::Error, "E101", message(s, o, site), span(found ? found : at(s)), {}};
        // A statement cut short by the next one: the caret goes where the
        // missing part belongs, after the statement's last token.
        auto p = previous(o);
        if (found && o > s && p && isStatementKeyword(o) && startsLine(o) && depth == 0) {
            Token* last = at(*p);
            d.span = span(last);
            d.span.col += d.span.length;
            d.span.length = 1;
            d.message = "expected " + describeExpected(site.expected) +
                        " here, before the next "
                        "statement" +
                        (last->getType() == P::COMMA ? " (a list cannot end with ',')" : "");
        }
        // A generic "expected ..., found ..." gets the statement's form.
        if (keyword && o > s && d.message.rfind("expected ", 0) == 0) {
            std::string_view form = parse::statementForm(keywordText(keyword));
            if (!form.empty())
                d.notes.emplace_back(span(at(s)),
                                     at(s)->getText() + " takes: " + std::string(form));
        }
        last_ = &diags_.report(std::move(d));
        return resumeAfter(s, o, depth, keyword);
    }

    void unclosed(size_t s, size_t open, Token* stop) {
        bool eof = stop->getType() == Token::EOF;
        Diagnostic d{
            Severity::Error,
            "E101",
            "'{' of " + statementName(s) + " is never closed: " +
                (eof ? "the file ends inside it" : "expected '}' before the next statement"),
            span(at(open)),
            {}};
        if (!eof)
            d.notes.emplace_back(span(stop), "the next statement starts here");
        last_ = &diags_.report(std::move(d));
    }

    static const char* lexical(Token* t) {
        if (!t)
            return nullptr;
        if (t->getType() == P::UNTERMINATED_STRING)
            return "unterminated string: a string must close with '\"' on the same line";
        if (t->getType() == P::OTHER)
            return "unexpected character";
        return nullptr;
    }

    std::string message(size_t s, size_t o, const ErrorSite& site) {
        Token* found = site.found;
        if (const char* lex = lexical(found))
            return found->getType() == P::OTHER ? std::string(lex) + " " + shown(found) : lex;
        const auto& expected = site.expected;
        std::string want = describeExpected(expected);
        std::string text = found ? found->getText() : std::string();
        bool word = found && found->getType() == P::WORD;

        if (o == s) {
            // Where a statement should start.
            if (found && found->getType() == P::RBRACE)
                return "unexpected '}': no block is open here";
            if (word) {
                auto p = previous(o);
                if (p && at(*p)->getType() == P::WORD && at(*p)->getLine() == found->getLine())
                    return "missing ',' before " + shown(found) +
                           ": list items are separated by commas";
                std::vector<std::string> keys;
                for (size_t t : statementStarts_.toList())
                    keys.push_back(keywordText(t));
                if (std::string near = sema::closestName(text, keys); !near.empty())
                    return "unknown statement " + shown(found) + "; did you mean '" + near + "'?";
            }
            return "expected " + want + ", found " + shown(found);
        }
        if (word) {
            if (std::string near = nearKeyword(text, expected); !near.empty())
                return "unknown word " + shown(found) + " in " + statementName(s) +
                       "; did you mean '" + near + "'?";
            if (expected.contains(size_t(P::COMMA)) || endsList(o))
                return "missing ',' before " + shown(found) +
                       ": list items are separated by commas";
        }
        std::string out = "expected " + want + ", found " + shown(found);
        if (found && isKeyword(found->getType()) && expected.contains(size_t(P::WORD)))
            out += " (a keyword cannot be used as a name)";
        return out;
    }

    // Whether the tokens before `o` are a comma-separated list of names or
    // values after a keyword that takes one (`networks a, b`): a name or
    // value after it is then most likely a missing comma.
    bool endsList(size_t o) const {
        auto p = previous(o);
        if (!p || at(*p)->getType() != P::WORD)
            return false;
        for (;;) {
            auto before = previous(*p);
            if (!before)
                return false;
            size_t t = at(*before)->getType();
            if (t == P::COMMA) {
                p = previous(*before);
                if (!p || at(*p)->getType() != P::WORD)
                    return false;
                continue;
            }
            return t == P::NETWORKS || t == P::FQDN || t == P::BACKEND || t == P::FROM ||
                   t == P::TO || t == P::SERVICE;
        }
    }

    // Skips the rest of a broken statement: to the '}' that closes its block,
    // or to the next statement keyword that starts a line (outside a block;
    // inside one, where the block cannot take it as a field).
    size_t resumeAfter(size_t s, size_t o, int depth, size_t keyword) {
        for (size_t i = o; i < tokens_.size(); i = next(i)) {
            Token* t = at(i);
            if (t->getType() == Token::EOF)
                return i;
            if (i > s) {
                if (depth == 0 && isStatementKeyword(i) && startsLine(i))
                    return i;
                if (depth > 0 && startsStatementInBlock(i, keyword))
                    return i;
            }
            if (t->getType() == P::LBRACE)
                ++depth;
            else if (t->getType() == P::RBRACE && depth > 0 && --depth == 0)
                return next(i);
        }
        return tokens_.size() - 1;
    }

    uint32_t file_;
    antlr4::CommonTokenStream& tokens_;
    NetsepParser& parser_;
    DiagnosticEngine& diags_;
    antlr4::misc::IntervalSet statementStarts_;
    Diagnostic* last_ = nullptr; // the last error reported
};

} // namespace

void reportSyntaxErrors(uint32_t fileId, antlr4::CommonTokenStream& tokens, NetsepParser& parser,
                        DiagnosticEngine& diags) {
    Recovery(fileId, tokens, parser, diags).run();
}

} // namespace netsep
