#pragma once
#include <Token.h>
#include <TokenSource.h>
#include <TokenStream.h>

#include <cstdint>
#include <deque>
#include <string>
#include <string_view>

namespace antlr4::dfa {
class Vocabulary;
}

namespace netsep::parse {

// A hand-written lexer for the netsep grammar, fed to the generated ANTLR
// parser as its token stream. The generated lexer (an ATN simulation that
// takes a lock per character) cost ~50% of the front end at 100,000 rules;
// this one is a plain byte loop.
//
// It produces exactly the default-channel tokens the generated NetsepLexer
// produces for the same text: the same types (keywords, punctuation and
// their numbers come from the generated parser's vocabulary, so
// grammar/Netsep.g4 stays the single definition of the keywords), the same
// line, column and start/stop indexes (counted in code points, after a
// leading BOM is dropped, as ANTLRInputStream does). The rules for STRING,
// WORD, COMMENT and WS mirror the lexer rules of the .g4; the unit test
// `fast lexer matches the generated lexer` compares both on every shipped
// policy and on random input.
//
// Text the generated lexer would turn into OTHER or UNTERMINATED_STRING
// tokens (which no parser rule accepts) yields those token types too; the
// caller then re-parses with the generated lexer, whose tokens drive the
// syntax-error messages.
class FastToken final : public antlr4::Token {
public:
    FastToken(size_t type, const char* text, uint32_t bytes, uint32_t line, uint32_t col,
              uint32_t start, uint32_t stop, size_t index, antlr4::TokenSource* source)
        : text_(text), source_(source), type_(type), index_(index), bytes_(bytes), line_(line),
          col_(col), start_(start), stop_(stop) {}

    std::string getText() const override;
    std::string_view view() const { return {text_, bytes_}; }
    size_t getType() const override { return type_; }
    size_t getLine() const override { return line_; }
    size_t getCharPositionInLine() const override { return col_; }
    size_t getChannel() const override { return DEFAULT_CHANNEL; }
    size_t getTokenIndex() const override { return index_; }
    size_t getStartIndex() const override { return start_; }
    size_t getStopIndex() const override { return type_ == EOF ? size_t(start_) - 1 : stop_; }
    antlr4::TokenSource* getTokenSource() const override { return source_; }
    antlr4::CharStream* getInputStream() const override { return nullptr; }
    std::string toString() const override;

private:
    const char* text_;
    antlr4::TokenSource* source_;
    size_t type_;
    size_t index_;
    uint32_t bytes_;
    uint32_t line_, col_;   // 1-based line, 0-based column in code points
    uint32_t start_, stop_; // code-point offsets in the file, inclusive
};

class FastTokenStream final : public antlr4::TokenStream {
public:
    // `text` must be valid UTF-8 and outlive the stream. `vocabulary` is the
    // generated parser's (it names the keyword and punctuation tokens).
    // Lexing may start inside `text` at byte `begin` (the start of a line),
    // at the given line and code-point offset: a chunk of a file.
    FastTokenStream(std::string_view text, std::string sourceName,
                    const antlr4::dfa::Vocabulary& vocabulary, size_t begin = 0, uint32_t line = 1,
                    uint32_t codePoint = 0);
    ~FastTokenStream() override;

    // Frees the tokens before the current position. Token pointers handed
    // out earlier become invalid: call it only when no parse tree refers to
    // them any more.
    void discardConsumed();
    // The buffered token with stream index `index` (not yet discarded).
    const FastToken& at(size_t index) const { return tokens_[index - base_]; }

    // antlr4::IntStream
    void consume() override;
    size_t LA(ssize_t i) override;
    ssize_t mark() override { return 0; }
    void release(ssize_t) override {}
    size_t index() override { return p_; }
    void seek(size_t index) override;
    size_t size() override;
    std::string getSourceName() const override { return sourceName_; }

    // antlr4::TokenStream
    antlr4::Token* LT(ssize_t k) override;
    antlr4::Token* get(size_t index) const override;
    antlr4::TokenSource* getTokenSource() const override;
    std::string getText(const antlr4::misc::Interval& interval) override;
    std::string getText() override;
    std::string getText(antlr4::RuleContext* ctx) override;
    std::string getText(antlr4::Token* start, antlr4::Token* stop) override;

private:
    class Source;
    struct Types;
    static const Types& typesOf(const antlr4::dfa::Vocabulary& vocabulary);
    // Lexes until the token with stream index `index` exists (or EOF).
    void fill(size_t index);
    void lexOne();
    void advance(size_t bytes); // moves over bytes that contain no '\n'

    std::string_view text_;
    std::string sourceName_;
    const Types* types_;
    Source* source_;
    std::deque<FastToken> tokens_; // tokens_[0] has stream index base_
    size_t base_ = 0;
    size_t p_ = 0; // current stream index
    bool eof_ = false;
    // Lexer position.
    size_t pos_ = 0;
    uint32_t line_ = 1, col_ = 0, cp_ = 0;
};

} // namespace netsep::parse
