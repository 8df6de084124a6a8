#pragma once
#include "ast/Program.hpp"
#include "diag/DiagnosticEngine.hpp"
#include "diag/SourceManager.hpp"

#include <functional>
#include <string>
#include <vector>

namespace netsep {

enum class LoadStatus { Ok, PolicyErrors, IoError };

// Limits that keep hostile input bounded (documented in docs/security.md).
inline constexpr size_t kMaxIncludeDepth = 32;
// A policy's files together (the top-level file and every include).
inline constexpr size_t kMaxFileBytes = 64u << 20;
// Include statements followed in one run, all files together.
inline constexpr size_t kMaxIncludes = 10000;

// Reads one file's bytes; on failure returns false with a short reason
// ("cannot open file"). Limits and UTF-8 checks apply after it.
using FileReader =
    std::function<bool(const std::string& path, std::string& text, std::string& error)>;

// Reads the policy at `path` and every file it includes (paths relative to
// the including file; each file is read once; cycles and missing files are
// errors) into one AST. Includes are confined to the directory of `path`
// and to `includeDirs` (IncludeRoots). `ioError` receives the message for
// IoError. `read` replaces the file system (`diff --git` reads a git
// revision; the roots are then checked lexically); empty: the file system.
LoadStatus loadPolicy(const std::string& path, SourceManager& sources, DiagnosticEngine& diags,
                      ast::Program& out, std::string& ioError,
                      const std::vector<std::string>& includeDirs = {},
                      const FileReader& read = {});

// The same reading and checks for one file (size limit, directory, UTF-8:
// E103), parsed without following its includes (`netsep fmt`).
LoadStatus loadSingleFile(const std::string& path, SourceManager& sources, DiagnosticEngine& diags,
                          ast::Program& out, std::string& ioError);

// The same for text read elsewhere (`netsep fmt -` reads standard input);
// `name` stands for the file in diagnostics.
LoadStatus loadSingleText(const std::string& name, std::string text, SourceManager& sources,
                          DiagnosticEngine& diags, ast::Program& out, std::string& ioError);

// Parses text already registered in `sources` (used by loadPolicy and tests).
// Uses the hand-written lexer (parse/FastLexer.hpp) and parses statement by
// statement; on a syntax error it falls back to parseSourceWithGeneratedLexer,
// which produces the error messages. The result is the same either way.
// `leadingStatements`, when given, receives how many statements parsed
// before the first syntax error (all of them when there is none).
void parseSource(uint32_t fileId, SourceManager& sources, DiagnosticEngine& diags,
                 ast::Program& out, const std::function<void(const ast::Word&)>& onInclude,
                 size_t* leadingStatements = nullptr);

// The reference path: the ANTLR-generated lexer, SLL then LL parsing of the
// whole file. Exposed for the tests that check parseSource against it.
void parseSourceWithGeneratedLexer(uint32_t fileId, SourceManager& sources, DiagnosticEngine& diags,
                                   ast::Program& out,
                                   const std::function<void(const ast::Word&)>& onInclude);

} // namespace netsep
