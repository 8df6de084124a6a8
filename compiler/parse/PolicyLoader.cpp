#include "parse/PolicyLoader.hpp"

#include "lower/Parallel.hpp"
#include "parse/FastLexer.hpp"
#include "parse/IncludeRoots.hpp"
#include "parse/PolicyFile.hpp"
#include "parse/StatementReader.hpp"
#include "parse/SyntaxRecovery.hpp"
#include "parse/Transformer.hpp"

#include "NetsepLexer.h"
#include "NetsepParser.h"

#include <BailErrorStrategy.h>
#include <CommonTokenStream.h>
#include <Exceptions.h>
#include <atn/ParserATNSimulator.h>
#include <atn/PredictionMode.h>

#include <algorithm>
#include <filesystem>
#include <mutex>
#include <set>
#include <unordered_map>

namespace fs = std::filesystem;

namespace netsep {

namespace {

// Returns the byte offset of the first invalid UTF-8 sequence, or npos.
size_t firstInvalidUtf8(const std::string& s) {
    size_t i = 0;
    while (i < s.size()) {
        auto c = static_cast<unsigned char>(s[i]);
        size_t n = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
        if (n == 0 || (n > 1 && c < 0xc2 && n == 2) || i + n > s.size())
            return i;
        for (size_t k = 1; k < n; ++k)
            if ((static_cast<unsigned char>(s[i + k]) >> 6) != 2)
                return i;
        if (n == 3) {
            auto c1 = static_cast<unsigned char>(s[i + 1]);
            if ((c == 0xe0 && c1 < 0xa0) || (c == 0xed && c1 >= 0xa0))
                return i; // overlong or surrogate
        }
        if (n == 4) {
            auto c1 = static_cast<unsigned char>(s[i + 1]);
            if ((c == 0xf0 && c1 < 0x90) || c > 0xf4 || (c == 0xf4 && c1 >= 0x90))
                return i;
        }
        i += n;
    }
    return std::string::npos;
}

SourceSpan spanAtOffset(const SourceManager& sources, uint32_t fileId, size_t offset) {
    const auto& f = sources.file(fileId);
    auto it = std::upper_bound(f.lineStarts.begin(), f.lineStarts.end(), offset);
    uint32_t line = static_cast<uint32_t>(it - f.lineStarts.begin());
    uint32_t col = static_cast<uint32_t>(offset - f.lineStarts[line - 1] + 1);
    return {fileId, line, col, 1};
}

const std::string kTooLarge = "file is larger than the 64 MiB limit";

// A path that names a stream of this process rather than a file in a
// directory: its includes are resolved against the current directory.
bool namesProcessStream(const std::string& path) {
    return path.rfind("/dev/", 0) == 0 || path.rfind("/proc/", 0) == 0;
}

class Loader {
public:
    Loader(SourceManager& s, DiagnosticEngine& d, ast::Program& o, bool followIncludes = true,
           FileReader read = {})
        : sources_(s), diags_(d), out_(o), followIncludes_(followIncludes), read_(std::move(read)) {
    }

    // Returns false only for an I/O error on the top-level file or a bad
    // --include-dir.
    bool loadTop(const std::string& path, const std::vector<std::string>& includeDirs,
                 std::string& ioError) {
        if (read_)
            return loadTopFromReader(path, includeDirs, ioError);
        PolicyFileRead read = readPolicyFile(path, PolicyFileRole::TopLevel, budget_, kTooLarge);
        if (!read.ok) {
            ioError = path + ": " + read.error;
            return false;
        }
        const bool stream = read.stream || namesProcessStream(path);
        const std::string dir = stream ? "." : fs::path(path).parent_path().string();
        if (followIncludes_ && !roots_.init(dir.empty() ? "." : dir, includeDirs, ioError))
            return false;
        budget_ -= read.text.size();
        std::string canonical = path;
        if (!stream) {
            std::error_code ec;
            if (auto c = fs::weakly_canonical(fs::absolute(path, ec), ec); !ec)
                canonical = c.string();
        }
        uint32_t id = sources_.add(path, canonical, std::move(read.text));
        if (read.identity.valid)
            seen_.insert(key(read.identity));
        loadFile(id, dir, read.identity, diags_);
        return true;
    }

    // Text that did not come from a file (standard input), named `name`.
    bool loadText(const std::string& name, std::string text, std::string& ioError) {
        if (text.size() > kMaxFileBytes) {
            ioError = name + ": input is larger than the 64 MiB limit";
            return false;
        }
        uint32_t id = sources_.add(name, name, std::move(text));
        loadFile(id, ".", FileIdentity{}, diags_);
        return true;
    }

private:
    // With a FileReader (a git revision for `diff --git`) there are no file
    // identities: files are known by their lexically normal path, and the
    // include roots are checked lexically (a revision has no symlinks to
    // follow out of the tree).
    bool loadTopFromReader(const std::string& path, const std::vector<std::string>& includeDirs,
                           std::string& ioError) {
        std::string text, err;
        if (!read_(path, text, err)) {
            ioError = path + ": " + err;
            return false;
        }
        if (text.size() > budget_) {
            ioError = path + ": " + kTooLarge;
            return false;
        }
        budget_ -= text.size();
        const fs::path dir = fs::path(path).parent_path();
        lexicalRoots_.push_back((dir.empty() ? fs::path(".") : dir).lexically_normal());
        for (const auto& d : includeDirs)
            lexicalRoots_.push_back(fs::path(d).lexically_normal());
        const std::string lexical = fs::path(path).lexically_normal().string();
        seenPaths_.insert(lexical);
        pathStack_.push_back(lexical);
        uint32_t id = sources_.add(path, lexical, std::move(text));
        loadFile(id, dir.empty() ? fs::path(".") : dir, FileIdentity{}, diags_);
        pathStack_.pop_back();
        return true;
    }

    static bool lexicallyWithin(const fs::path& p, const fs::path& root) {
        if (p.is_absolute() != root.is_absolute())
            return false;
        const fs::path rel = p.lexically_relative(root);
        return !rel.empty() && *rel.begin() != "..";
    }

    void includeFromReader(const ast::Word& inc, const fs::path& target,
                           const std::string& lexical) {
        if (std::none_of(lexicalRoots_.begin(), lexicalRoots_.end(), [&](const fs::path& r) {
                return lexicallyWithin(target.lexically_normal(), r);
            })) {
            fail(inc, "it lies outside the policy's directory and every --include-dir");
            return;
        }
        if (std::find(pathStack_.begin(), pathStack_.end(), lexical) != pathStack_.end()) {
            diags_.error("E104", inc.span,
                         "include cycle: '" + inc.text + "' is already being included");
            return;
        }
        if (!seenPaths_.insert(lexical).second)
            return;
        if (pathStack_.size() >= kMaxIncludeDepth) {
            diags_.error("E105", inc.span,
                         "includes are nested more than " + std::to_string(kMaxIncludeDepth) +
                             " deep");
            return;
        }
        std::string text, err;
        if (!read_(lexical, text, err)) {
            failed_.emplace(lexical, err);
            fail(inc, err);
            return;
        }
        if (text.size() > budget_) {
            fail(inc, "larger than the 64 MiB limit (for all of a policy's files together)");
            return;
        }
        budget_ -= text.size();
        uint32_t id = sources_.add(lexical, lexical, std::move(text));
        DiagnosticEngine local(sources_);
        local.setWarningsAsErrors(diags_.warningsAsErrors());
        pathStack_.push_back(lexical);
        const size_t leading = loadFile(id, target.parent_path(), FileIdentity{}, local);
        pathStack_.pop_back();
        if (std::string why = notAPolicy(id, local, leading); !why.empty()) {
            fail(inc, why);
            return;
        }
        for (const Diagnostic& d : local.all())
            diags_.report(d);
    }

    using IdentityKey = std::pair<dev_t, ino_t>;
    static IdentityKey key(const FileIdentity& id) { return {id.dev, id.ino}; }

    // Returns how many statements parsed before the first syntax error.
    size_t loadFile(uint32_t id, const fs::path& dir, FileIdentity identity,
                    DiagnosticEngine& diags) {
        stack_.push_back(identity);
        const std::string& text = sources_.file(id).text;
        size_t leading = 0;
        size_t bad = firstInvalidUtf8(text);
        if (bad != std::string::npos) {
            diags.error("E103", spanAtOffset(sources_, id, bad),
                        "file is not valid UTF-8 (invalid byte sequence here)");
        } else {
            parseSource(
                id, sources_, diags, out_,
                [&](const ast::Word& inc) {
                    if (followIncludes_)
                        include(inc, dir);
                },
                &leading);
        }
        stack_.pop_back();
        return leading;
    }

    void fail(const ast::Word& inc, const std::string& why) {
        diags_.error("E102", inc.span, "cannot include '" + inc.text + "': " + why);
    }

    void include(const ast::Word& inc, const fs::path& dir) {
        if (++includes_ > kMaxIncludes) {
            if (includes_ == kMaxIncludes + 1)
                fail(inc, "the policy has more than " + std::to_string(kMaxIncludes) +
                              " include statements; the rest are not followed");
            return;
        }
        if (inc.text.empty()) {
            diags_.error("E102", inc.span, "include path is empty");
            return;
        }
        // Relative to the including file as the user sees it, then resolved
        // within the include roots. A path that failed once fails again at
        // once: the file system is not asked twice.
        const fs::path target =
            fs::path(inc.text).is_absolute() ? fs::path(inc.text) : dir / inc.text;
        const std::string lexical = target.lexically_normal().string();
        if (auto known = failed_.find(lexical); known != failed_.end()) {
            fail(inc, known->second);
            return;
        }
        if (read_) {
            includeFromReader(inc, target, lexical);
            return;
        }
        IncludeRoots::Resolution where = roots_.resolve(lexical);
        if (!where.ok) {
            failed_.emplace(lexical, where.error);
            fail(inc, where.error);
            return;
        }
        // One file read once, whatever path or hard link names it.
        FileIdentity identity = identityOf(where.real);
        if (identity.valid) {
            if (std::find(stack_.begin(), stack_.end(), identity) != stack_.end()) {
                diags_.error("E104", inc.span,
                             "include cycle: '" + inc.text + "' is already being included");
                return;
            }
            if (seen_.count(key(identity)))
                return; // a file included twice contributes its statements once
        }
        if (stack_.size() >= kMaxIncludeDepth) {
            diags_.error("E105", inc.span,
                         "includes are nested more than " + std::to_string(kMaxIncludeDepth) +
                             " deep");
            return;
        }
        PolicyFileRead read =
            readPolicyFile(where.real, PolicyFileRole::Include, budget_,
                           "larger than the 64 MiB limit (for all of a policy's files together)");
        if (!read.ok) {
            failed_.emplace(lexical, read.error);
            fail(inc, read.error);
            return;
        }
        budget_ -= read.text.size();
        seen_.insert(key(read.identity));
        uint32_t id = sources_.add(lexical, where.real, std::move(read.text));
        // The file is parsed on its own first: an include of something that
        // is not a policy (a key file, /etc/passwd through a symlink the
        // roots allow) is reported at the include without quoting a byte of
        // it.
        DiagnosticEngine local(sources_);
        local.setWarningsAsErrors(diags_.warningsAsErrors());
        const size_t leading = loadFile(id, target.parent_path(), read.identity, local);
        if (std::string why = notAPolicy(id, local, leading); !why.empty()) {
            fail(inc, why);
            return;
        }
        for (const Diagnostic& d : local.all())
            diags_.report(d);
    }

    // Why the included file `id` is not a policy, or "".
    std::string notAPolicy(uint32_t id, const DiagnosticEngine& local, size_t leading) const {
        for (const Diagnostic& d : local.all()) {
            if (d.span.file != id)
                continue;
            std::string at = sources_.file(id).path + ":" + std::to_string(d.span.line) + ":" +
                             std::to_string(d.span.col);
            if (d.code == "E103")
                return "it is not a netsep policy (not UTF-8 text at " + at + ")";
            if (d.code == "E101" && leading == 0)
                return "it is not a netsep policy (a syntax error at " + at +
                       " before its first statement)";
        }
        return {};
    }

    SourceManager& sources_;
    DiagnosticEngine& diags_;
    ast::Program& out_;
    bool followIncludes_;
    IncludeRoots roots_;
    size_t budget_ = kMaxFileBytes;
    size_t includes_ = 0;
    std::set<IdentityKey> seen_;
    std::vector<FileIdentity> stack_;
    std::unordered_map<std::string, std::string> failed_;
    FileReader read_; // empty: the file system
    std::vector<fs::path> lexicalRoots_;
    std::set<std::string> seenPaths_;
    std::vector<std::string> pathStack_;
};

} // namespace

namespace {

// Statement counts of a Program: where an include's statements go.
struct Counts {
    size_t policies, services, zones, groups, identities, saas, rules, firewalls, expects, waivers,
        killSwitches, letters;
};

Counts countsOf(const ast::Program& p) {
    return {p.policies.size(),   p.services.size(), p.zones.size(),        p.groups.size(),
            p.identities.size(), p.saas.size(),     p.rules.size(),        p.firewalls.size(),
            p.expects.size(),    p.waivers.size(),  p.killSwitches.size(), p.letters.size()};
}

template <typename T>
void moveRange(std::vector<T>& from, std::vector<T>& to, size_t begin, size_t end) {
    if (begin == end)
        return;
    if (begin == 0 && end == from.size() && to.capacity() == 0) {
        to = std::move(from);
        from.clear();
        return;
    }
    to.insert(to.end(), std::make_move_iterator(from.begin() + begin),
              std::make_move_iterator(from.begin() + end));
}

void moveStatements(ast::Program& from, ast::Program& to, const Counts& b, const Counts& e) {
    moveRange(from.policies, to.policies, b.policies, e.policies);
    moveRange(from.services, to.services, b.services, e.services);
    moveRange(from.zones, to.zones, b.zones, e.zones);
    moveRange(from.groups, to.groups, b.groups, e.groups);
    moveRange(from.identities, to.identities, b.identities, e.identities);
    moveRange(from.saas, to.saas, b.saas, e.saas);
    moveRange(from.rules, to.rules, b.rules, e.rules);
    moveRange(from.firewalls, to.firewalls, b.firewalls, e.firewalls);
    moveRange(from.expects, to.expects, b.expects, e.expects);
    moveRange(from.waivers, to.waivers, b.waivers, e.waivers);
    moveRange(from.killSwitches, to.killSwitches, b.killSwitches, e.killSwitches);
    moveRange(from.letters, to.letters, b.letters, e.letters);
}

// Fast path: the hand-written lexer, SLL prediction, one statement at a
// time and no parse tree: the generated parser only accepts the statement,
// StatementReader converts its tokens to the AST, and the tokens and rule
// contexts are freed at once (peak memory stays at the AST instead of
// tokens + a whole-file tree). A large file is cut into chunks at lines
// that start with `access` (a keyword that only ever starts a statement),
// parsed on all cores. Nothing is committed until every chunk has parsed:
// on the first syntax error the caller falls back to the generated-lexer
// path, and the file contributes exactly what that path makes of it.

// Files smaller than this are parsed in one piece.
constexpr size_t kMinChunkBytes = 1u << 20;

struct Include {
    ast::Word path;
    Counts at;          // statements of the chunk before the include
    size_t diagnostics; // diagnostics of the chunk before the include
};

struct Chunk {
    size_t begin = 0, end = 0; // bytes of the file
    uint32_t line = 1;         // line and code-point offset at `begin`
    uint32_t codePoint = 0;
    // Results.
    ast::Program statements;
    std::unique_ptr<DiagnosticEngine> diags;
    std::vector<Include> includes;
    bool ok = false;
};

// The only decision of the grammar that needs adaptive prediction (and so
// touches the DFA cache the generated parser shares between instances) is
// the optional service clause at the end of an expect statement: expect
// statements are parsed under this lock, every other rule is plain LL(1)
// code on per-parser state.
std::mutex& sharedDfaLock() {
    static std::mutex m;
    return m;
}

void parseChunk(uint32_t fileId, const SourceManager& sources, Chunk& chunk) {
    const auto& file = sources.file(fileId);
    std::string_view text(file.text);
    NetsepParser parser(nullptr);
    parse::FastTokenStream tokens(text.substr(0, chunk.end), file.path, parser.getVocabulary(),
                                  chunk.begin, chunk.line, chunk.codePoint);
    parser.setTokenStream(&tokens);
    parser.removeErrorListeners();
    parser.getInterpreter<antlr4::atn::ParserATNSimulator>()->setPredictionMode(
        antlr4::atn::PredictionMode::SLL);
    parser.setErrorHandler(std::make_shared<antlr4::BailErrorStrategy>());
    parser.setBuildParseTree(false);

    // Rule declarations are large; growing their vector by doubling moved
    // each one about twice (3% of `check` at 100,000 rules). Reserve for the
    // lines that start with a rule keyword (an upper bound, roughly).
    std::string_view body = text.substr(chunk.begin, chunk.end - chunk.begin);
    size_t ruleLines = 0;
    for (std::string_view key : {"\naccess ", "\ndeny ", "\nexception "})
        for (size_t at = body.find(key); at != std::string_view::npos; at = body.find(key, at + 1))
            ++ruleLines;
    chunk.statements.rules.reserve(ruleLines + 1);

    chunk.diags = std::make_unique<DiagnosticEngine>(sources);
    DiagnosticEngine& local = *chunk.diags;
    parse::StatementReader reader(local, fileId, chunk.statements, [&](const ast::Word& inc) {
        chunk.includes.push_back({inc, countsOf(chunk.statements), local.all().size()});
    });
    try {
        while (tokens.LA(1) != antlr4::Token::EOF) {
            NetsepParser::StatementContext* st;
            if (tokens.LA(1) == NetsepParser::EXPECT) {
                std::lock_guard<std::mutex> lock(sharedDfaLock());
                st = parser.statement();
            } else {
                st = parser.statement();
            }
            reader.read(tokens, st->start->getTokenIndex(), st->stop->getTokenIndex());
            parser.getTreeTracker().reset(); // frees this statement's rule contexts
            tokens.discardConsumed();        // and its tokens
        }
    } catch (const antlr4::ParseCancellationException&) {
        return;
    }
    chunk.ok = true;
}

// Where a chunk may start: the first line at or after `from` that begins
// with the keyword `access` (so it is not inside a string or comment, both
// of which end at a newline, nor inside a word). npos when there is none.
size_t chunkStart(std::string_view text, size_t from) {
    static constexpr std::string_view kKey = "\naccess";
    for (size_t at = text.find(kKey, from); at != std::string_view::npos;
         at = text.find(kKey, at + 1)) {
        size_t after = at + kKey.size();
        if (after < text.size() && (text[after] == ' ' || text[after] == '\t' ||
                                    text[after] == '\r' || text[after] == '\n'))
            return at + 1;
    }
    return std::string_view::npos;
}

// `leading`: statements parsed before the first syntax error (every
// statement when there is none).
bool parseFast(uint32_t fileId, SourceManager& sources, DiagnosticEngine& diags, ast::Program& out,
               const std::function<void(const ast::Word&)>& onInclude, size_t& leading) {
    std::string_view text(sources.file(fileId).text);
    unsigned workers = lower::workerCount(text.size() / kMinChunkBytes);
    std::vector<Chunk> chunks(1);
    for (unsigned k = 1; k < workers; ++k) {
        size_t at = chunkStart(text, std::max(chunks.back().begin + 1, text.size() * k / workers));
        if (at == std::string_view::npos)
            break;
        chunks.back().end = at;
        chunks.emplace_back().begin = at;
    }
    chunks.back().end = text.size();
    // Line and code-point index where each chunk starts; a leading BOM is not
    // counted (ANTLRInputStream drops it).
    uint32_t codePoint = text.substr(0, 3) == "\xEF\xBB\xBF" ? uint32_t(-1) : 0;
    for (size_t k = 1; k < chunks.size(); ++k) {
        auto first = text.begin() + chunks[k - 1].begin, last = text.begin() + chunks[k].begin;
        chunks[k].line = chunks[k - 1].line + uint32_t(std::count(first, last, '\n'));
        codePoint += uint32_t(std::count_if(
            first, last, [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
        chunks[k].codePoint = codePoint;
    }
    lower::parallelFor(chunks.size(), unsigned(chunks.size()),
                       [&](size_t k, unsigned) { parseChunk(fileId, sources, chunks[k]); });
    leading = 0;
    for (const auto& c : chunks) {
        const Counts n = countsOf(c.statements);
        leading += n.policies + n.services + n.zones + n.groups + n.identities + n.saas + n.rules +
                   n.firewalls + n.expects + n.waivers + c.includes.size();
        if (!c.ok)
            return false;
    }

    if (chunks.size() > 1 && out.rules.empty()) {
        size_t rules = 0;
        for (const auto& c : chunks)
            rules += c.statements.rules.size();
        out.rules.reserve(rules); // the bulk of a large policy, moved once
    }
    // Commit in source order: statements and diagnostics up to each include,
    // then the included file, then the rest.
    for (auto& c : chunks) {
        const Counts total = countsOf(c.statements);
        Counts from{};
        size_t diag = 0;
        auto commit = [&](const Counts& to, size_t diagTo) {
            moveStatements(c.statements, out, from, to);
            for (; diag < diagTo; ++diag)
                diags.report(c.diags->all()[diag]);
            from = to;
        };
        for (const auto& inc : c.includes) {
            commit(inc.at, inc.diagnostics);
            onInclude(inc.path);
        }
        commit(total, c.diags->all().size());
        c.statements = ast::Program{}; // moved-from husks
    }
    return true;
}

} // namespace

// The generated lexer and the two-stage parse: SLL with bail, then, on an
// error, statement by statement so that every statement's error is reported. Its token positions
// and texts are the ones the syntax-error messages are written from.
void parseSourceWithGeneratedLexer(uint32_t fileId, SourceManager& sources, DiagnosticEngine& diags,
                                   ast::Program& out,
                                   const std::function<void(const ast::Word&)>& onInclude) {
    const std::string& text = sources.file(fileId).text;
    antlr4::ANTLRInputStream input(text);
    NetsepLexer lexer(&input);
    lexer.removeErrorListeners();
    antlr4::CommonTokenStream tokens(&lexer);
    NetsepParser parser(&tokens);
    parser.removeErrorListeners();

    // Stage 1: fast SLL prediction that bails on the first error.
    parser.getInterpreter<antlr4::atn::ParserATNSimulator>()->setPredictionMode(
        antlr4::atn::PredictionMode::SLL);
    parser.setErrorHandler(std::make_shared<antlr4::BailErrorStrategy>());
    NetsepParser::FileContext* tree = nullptr;
    try {
        tree = parser.file();
    } catch (const antlr4::ParseCancellationException&) {
        tree = nullptr;
    }
    if (!tree) {
        // Stage 2: statement by statement, every statement's first error.
        tokens.seek(0);
        parser.reset();
        parser.getInterpreter<antlr4::atn::ParserATNSimulator>()->setPredictionMode(
            antlr4::atn::PredictionMode::LL);
        size_t before = diags.errorCount();
        reportSyntaxErrors(fileId, tokens, parser, diags);
        if (diags.errorCount() == before)
            diags.error("E101", {fileId, 1, 1, 1}, "syntax error");
        return; // never transform a tree that had errors
    }
    Transformer t(diags, fileId, out, onInclude);
    t.transformFile(*tree);
}

void parseSource(uint32_t fileId, SourceManager& sources, DiagnosticEngine& diags,
                 ast::Program& out, const std::function<void(const ast::Word&)>& onInclude,
                 size_t* leadingStatements) {
    size_t leading = 0;
    if (!parseFast(fileId, sources, diags, out, onInclude, leading))
        parseSourceWithGeneratedLexer(fileId, sources, diags, out, onInclude);
    if (leadingStatements)
        *leadingStatements = leading;
}

LoadStatus loadPolicy(const std::string& path, SourceManager& sources, DiagnosticEngine& diags,
                      ast::Program& out, std::string& ioError,
                      const std::vector<std::string>& includeDirs, const FileReader& read) {
    Loader loader(sources, diags, out, true, read);
    if (!loader.loadTop(path, includeDirs, ioError))
        return LoadStatus::IoError;
    return diags.hasErrors() ? LoadStatus::PolicyErrors : LoadStatus::Ok;
}

LoadStatus loadSingleFile(const std::string& path, SourceManager& sources, DiagnosticEngine& diags,
                          ast::Program& out, std::string& ioError) {
    Loader loader(sources, diags, out, false);
    if (!loader.loadTop(path, {}, ioError))
        return LoadStatus::IoError;
    return diags.hasErrors() ? LoadStatus::PolicyErrors : LoadStatus::Ok;
}

LoadStatus loadSingleText(const std::string& name, std::string text, SourceManager& sources,
                          DiagnosticEngine& diags, ast::Program& out, std::string& ioError) {
    Loader loader(sources, diags, out, false);
    if (!loader.loadText(name, std::move(text), ioError))
        return LoadStatus::IoError;
    return diags.hasErrors() ? LoadStatus::PolicyErrors : LoadStatus::Ok;
}

} // namespace netsep
