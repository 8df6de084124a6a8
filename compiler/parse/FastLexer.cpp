#include "parse/FastLexer.hpp"

#include <CommonTokenFactory.h>
#include <Exceptions.h>
#include <RuleContext.h>
#include <Vocabulary.h>
#include <misc/Interval.h>

#include <array>
#include <vector>

namespace netsep::parse {

namespace {

// Character classes of the WORD rule in grammar/Netsep.g4:
//   WORD : [A-Za-z0-9_:*] ( [A-Za-z0-9_.:/*] | '-' [A-Za-z0-9_.:/*] )* ;
constexpr std::array<bool, 256> charClass(bool continuation) {
    std::array<bool, 256> t{};
    for (int c = 'A'; c <= 'Z'; ++c)
        t[c] = true;
    for (int c = 'a'; c <= 'z'; ++c)
        t[c] = true;
    for (int c = '0'; c <= '9'; ++c)
        t[c] = true;
    t['_'] = t[':'] = t['*'] = true;
    if (continuation)
        t['.'] = t['/'] = true;
    return t;
}
constexpr std::array<bool, 256> kWordStart = charClass(false);
constexpr std::array<bool, 256> kWordPart = charClass(true);

inline bool isWordStart(char c) {
    return kWordStart[static_cast<unsigned char>(c)];
}
inline bool isWordPart(char c) {
    return kWordPart[static_cast<unsigned char>(c)];
}

// Length in bytes of the WORD that starts at s[0] (0 when none does).
size_t wordLength(const char* s, size_t n) {
    if (n == 0 || !isWordStart(s[0]))
        return 0;
    size_t i = 1;
    while (i < n) {
        if (isWordPart(s[i]))
            ++i;
        else if (s[i] == '-') {
            // A run of '-' belongs to the word only when a word character
            // follows ("xn--p1ai" is one word, "a->b" is a -> b).
            size_t j = i;
            while (j < n && s[j] == '-')
                ++j;
            if (j < n && isWordPart(s[j]))
                i = j + 1;
            else
                break;
        } else
            break;
    }
    return i;
}

inline bool isContinuationByte(char c) {
    return (static_cast<unsigned char>(c) & 0xC0) == 0x80;
}

size_t codePoints(const char* s, size_t n) {
    size_t count = 0;
    for (size_t i = 0; i < n; ++i)
        count += !isContinuationByte(s[i]);
    return count;
}

} // namespace

// Token types, all taken from the generated parser's vocabulary: keywords
// and punctuation by their literal ('policy', '{'), the other token rules
// by name.
struct FastTokenStream::Types {
    explicit Types(const antlr4::dfa::Vocabulary& v) {
        for (size_t t = 1; t <= v.getMaxTokenType(); ++t) {
            std::string lit = v.getLiteralName(t);
            std::string sym = v.getSymbolicName(t);
            if (sym == "STRING")
                string = t;
            else if (sym == "WORD")
                word = t;
            else if (sym == "UNTERMINATED_STRING")
                unterminated = t;
            else if (sym == "OTHER")
                other = t;
            if (lit.size() < 3 || lit.front() != '\'' || lit.back() != '\'')
                continue;
            std::string text = lit.substr(1, lit.size() - 2);
            if (text == "->")
                arrow = t;
            else if (text == "{")
                lbrace = t;
            else if (text == "}")
                rbrace = t;
            else if (text == ",")
                comma = t;
            else if (wordLength(text.data(), text.size()) == text.size() && text.size() < 64)
                keywords[text.size()].push_back({text, t});
        }
    }

    size_t wordType(std::string_view w) const {
        if (w.size() < keywords.size())
            for (const auto& [text, type] : keywords[w.size()])
                if (text == w)
                    return type;
        return word;
    }

    size_t string = 0, word = 0, unterminated = 0, other = 0;
    size_t arrow = 0, lbrace = 0, rbrace = 0, comma = 0;
    std::array<std::vector<std::pair<std::string, size_t>>, 64> keywords; // by length
};

const FastTokenStream::Types& FastTokenStream::typesOf(const antlr4::dfa::Vocabulary& v) {
    static const Types types(v); // one grammar, one vocabulary
    return types;
}

std::string FastToken::getText() const {
    if (type_ == EOF)
        return "<EOF>";
    return std::string(text_, bytes_);
}

std::string FastToken::toString() const {
    return "[@" + std::to_string(index_) + "," + std::to_string(start_) + ":" +
           std::to_string(stop_) + "='" + getText() + "',<" + std::to_string(type_) + ">," +
           std::to_string(line_) + ":" + std::to_string(col_) + "]";
}

class FastTokenStream::Source final : public antlr4::TokenSource {
public:
    explicit Source(FastTokenStream& s) : stream_(s) {}
    std::unique_ptr<antlr4::Token> nextToken() override {
        throw antlr4::UnsupportedOperationException("FastTokenStream: tokens come from the stream");
    }
    size_t getLine() const override { return stream_.line_; }
    size_t getCharPositionInLine() override { return stream_.col_; }
    antlr4::CharStream* getInputStream() override { return nullptr; }
    std::string getSourceName() override { return stream_.sourceName_; }
    antlr4::TokenFactory<antlr4::CommonToken>* getTokenFactory() override {
        return antlr4::CommonTokenFactory::DEFAULT.get();
    }

private:
    FastTokenStream& stream_;
};

FastTokenStream::FastTokenStream(std::string_view text, std::string sourceName,
                                 const antlr4::dfa::Vocabulary& vocabulary, size_t begin,
                                 uint32_t line, uint32_t codePoint)
    : text_(text), sourceName_(std::move(sourceName)), types_(&typesOf(vocabulary)),
      source_(new Source(*this)), pos_(begin), line_(line), cp_(codePoint) {
    // ANTLRInputStream drops a leading byte-order mark before counting.
    if (begin == 0 && text_.substr(0, 3) == "\xEF\xBB\xBF")
        pos_ = 3;
}

FastTokenStream::~FastTokenStream() {
    delete source_;
}

void FastTokenStream::advance(size_t bytes) {
    size_t cps = codePoints(text_.data() + pos_, bytes);
    pos_ += bytes;
    col_ += uint32_t(cps);
    cp_ += uint32_t(cps);
}

void FastTokenStream::lexOne() {
    const Types& types = *types_;
    const char* s = text_.data();
    const size_t n = text_.size();
    // Skipped: WS : [ \t\r\n\uFEFF]+ and COMMENT : '#' ~[\r\n]* (hidden channel).
    while (pos_ < n) {
        char c = s[pos_];
        if (c == ' ' || c == '\t' || c == '\r') {
            ++pos_;
            ++col_;
            ++cp_;
        } else if (c == '\n') {
            ++pos_;
            ++line_;
            col_ = 0;
            ++cp_;
        } else if (c == '\xEF' && pos_ + 2 < n && s[pos_ + 1] == '\xBB' && s[pos_ + 2] == '\xBF') {
            pos_ += 3;
            ++col_;
            ++cp_;
        } else if (c == '#') {
            size_t e = pos_;
            while (e < n && s[e] != '\n' && s[e] != '\r')
                ++e;
            advance(e - pos_);
        } else {
            break;
        }
    }
    const size_t index = base_ + tokens_.size();
    if (pos_ >= n) {
        tokens_.emplace_back(antlr4::Token::EOF, s + n, 0, line_, col_, cp_, cp_ - 1, index,
                             source_);
        eof_ = true;
        return;
    }
    const char* start = s + pos_;
    const size_t rest = n - pos_;
    size_t len = 0;
    size_t type = types.other;
    char c = *start;
    if (size_t w = wordLength(start, rest)) {
        len = w;
        type = types.wordType(std::string_view(start, w));
    } else if (c == '"') {
        // STRING : '"' (~["\\\r\n] | '\\' ~[\r\n])* '"' ;
        size_t i = 1;
        type = types.unterminated;
        while (i < rest) {
            char d = start[i];
            if (d == '"') {
                ++i;
                type = types.string;
                break;
            }
            if (d == '\\') {
                // Any escaped character but a line end (escapes are decoded
                // and checked later: parse/StringLiteral.hpp). The bytes of a
                // multi-byte character after the backslash are never '"',
                // '\\' or a line end, so skipping one byte is enough.
                if (i + 1 < rest && start[i + 1] != '\r' && start[i + 1] != '\n') {
                    i += 2;
                    continue;
                }
                break; // UNTERMINATED_STRING stops before the backslash
            }
            if (d == '\r' || d == '\n')
                break;
            ++i;
        }
        len = i;
    } else if (c == '-' && rest > 1 && start[1] == '>') {
        len = 2;
        type = types.arrow;
    } else if (c == '{') {
        len = 1;
        type = types.lbrace;
    } else if (c == '}') {
        len = 1;
        type = types.rbrace;
    } else if (c == ',') {
        len = 1;
        type = types.comma;
    } else {
        // OTHER : . ; one code point
        len = 1;
        while (len < rest && isContinuationByte(start[len]))
            ++len;
    }
    uint32_t line = line_, col = col_, first = cp_;
    advance(len);
    tokens_.emplace_back(type, start, uint32_t(len), line, col, first, cp_ - 1, index, source_);
}

void FastTokenStream::fill(size_t index) {
    while (!eof_ && base_ + tokens_.size() <= index)
        lexOne();
}

void FastTokenStream::discardConsumed() {
    while (base_ < p_ && tokens_.size() > 1) {
        tokens_.pop_front();
        ++base_;
    }
}

void FastTokenStream::consume() {
    if (LA(1) == antlr4::Token::EOF)
        throw antlr4::IllegalStateException("cannot consume EOF");
    ++p_;
}

size_t FastTokenStream::LA(ssize_t i) {
    antlr4::Token* t = LT(i);
    return t ? t->getType() : antlr4::Token::INVALID_TYPE;
}

antlr4::Token* FastTokenStream::LT(ssize_t k) {
    if (k == 0)
        return nullptr;
    if (k < 0) {
        if (ssize_t(p_) + k < ssize_t(base_))
            return nullptr;
        return &tokens_[p_ + k - base_];
    }
    size_t idx = p_ + size_t(k) - 1;
    fill(idx);
    if (idx >= base_ + tokens_.size())
        return &tokens_.back(); // EOF
    return &tokens_[idx - base_];
}

antlr4::Token* FastTokenStream::get(size_t index) const {
    if (index < base_ || index >= base_ + tokens_.size())
        throw antlr4::IndexOutOfBoundsException("token index " + std::to_string(index) +
                                                " is not buffered");
    return const_cast<FastToken*>(&tokens_[index - base_]);
}

void FastTokenStream::seek(size_t index) {
    if (index < base_)
        throw antlr4::IllegalArgumentException("cannot seek before a discarded token");
    fill(index);
    p_ = std::min(index, base_ + tokens_.size() - 1);
}

size_t FastTokenStream::size() {
    fill(SIZE_MAX - 1);
    return base_ + tokens_.size();
}

antlr4::TokenSource* FastTokenStream::getTokenSource() const {
    return source_;
}

std::string FastTokenStream::getText(const antlr4::misc::Interval& interval) {
    if (interval.a < 0 || interval.b < 0)
        return {};
    std::string out;
    size_t stop = std::min(size_t(interval.b), base_ + tokens_.size() - 1);
    for (size_t i = std::max(size_t(interval.a), base_); i <= stop; ++i) {
        const FastToken& t = tokens_[i - base_];
        if (t.getType() == antlr4::Token::EOF)
            break;
        out.append(t.view());
    }
    return out;
}

std::string FastTokenStream::getText() {
    return getText(antlr4::misc::Interval(size_t(0), size() - 1));
}

std::string FastTokenStream::getText(antlr4::RuleContext* ctx) {
    return getText(ctx->getSourceInterval());
}

std::string FastTokenStream::getText(antlr4::Token* start, antlr4::Token* stop) {
    if (!start || !stop)
        return {};
    return getText(antlr4::misc::Interval(start->getTokenIndex(), stop->getTokenIndex()));
}

} // namespace netsep::parse
