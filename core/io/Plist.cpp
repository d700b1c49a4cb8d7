#include "core/io/Plist.h"

#include <cerrno>
#include <cmath>
#include <cstdlib>

namespace delineo::io {

namespace {

constexpr int kMaxDepth = 64;

void appendUtf8(std::string& out, std::uint32_t cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xc0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3f));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xe0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3f));
    out += static_cast<char>(0x80 | (cp & 0x3f));
  } else {
    out += static_cast<char>(0xf0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3f));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3f));
    out += static_cast<char>(0x80 | (cp & 0x3f));
  }
}

class Parser {
 public:
  Parser(std::string_view text, const std::string& what) : mText(text), mWhat(what) {}

  core::Result<PlistValue> parseDocument() {
    // Prolog: XML declaration, doctype, comments, then <plist ...> (optional in practice).
    while (true) {
      skipSpace();
      if (startsWith("<?")) {
        if (!skipPast("?>")) return fail("an unterminated XML declaration");
      } else if (startsWith("<!--")) {
        if (!skipPast("-->")) return fail("an unterminated comment");
      } else if (startsWith("<!")) {
        if (!skipPast(">")) return fail("an unterminated DOCTYPE");
      } else {
        break;
      }
    }
    if (startsWith("bplist")) return fail("a binary plist, which is not supported");
    bool wrapped = false;
    if (startsWith("<plist")) {
      if (!skipPast(">")) return fail("an unterminated <plist> tag");
      wrapped = mText[mPos - 2] != '/';
      if (!wrapped) return fail("an empty <plist/>");
    }
    auto value = parseValue(0);
    if (!value) return value;
    if (wrapped) {
      skipSpaceAndComments();
      if (!startsWith("</plist>")) return fail("no </plist> after the top-level value");
    }
    return value;
  }

 private:
  core::Error fail(const std::string& problem) const {
    return core::makeError(mWhat + " is not a valid property list: " + problem + " (at byte " +
                           std::to_string(mPos) + ").");
  }

  bool startsWith(std::string_view s) const { return mText.substr(mPos, s.size()) == s; }
  bool skipPast(std::string_view s) {
    auto at = mText.find(s, mPos);
    if (at == std::string_view::npos) return false;
    mPos = at + s.size();
    return true;
  }
  void skipSpace() {
    while (mPos < mText.size() &&
           (mText[mPos] == ' ' || mText[mPos] == '\t' || mText[mPos] == '\n' || mText[mPos] == '\r'))
      ++mPos;
  }
  void skipSpaceAndComments() {
    while (true) {
      skipSpace();
      if (!startsWith("<!--") || !skipPast("-->")) return;
    }
  }

  // Reads "<name>" or "<name/>" (attributes ignored); returns the name, sets selfClosing.
  std::optional<std::string> readOpenTag(bool& selfClosing) {
    skipSpaceAndComments();
    if (mPos >= mText.size() || mText[mPos] != '<' || startsWith("</")) return std::nullopt;
    auto close = mText.find('>', mPos);
    if (close == std::string_view::npos) return std::nullopt;
    std::string_view inner = mText.substr(mPos + 1, close - mPos - 1);
    selfClosing = !inner.empty() && inner.back() == '/';
    if (selfClosing) inner.remove_suffix(1);
    auto end = inner.find_first_of(" \t\r\n");
    mPos = close + 1;
    return std::string(inner.substr(0, end));
  }

  // Text up to "</name>", entities decoded; the closing tag is consumed.
  std::optional<std::string> readText(const std::string& name) {
    std::string closing = "</" + name + ">";
    auto end = mText.find(closing, mPos);
    if (end == std::string_view::npos) return std::nullopt;
    std::string_view raw = mText.substr(mPos, end - mPos);
    mPos = end + closing.size();
    std::string out;
    out.reserve(raw.size());
    for (std::size_t i = 0; i < raw.size(); ++i) {
      if (raw[i] != '&') {
        out += raw[i];
        continue;
      }
      auto semi = raw.find(';', i);
      if (semi == std::string_view::npos) return std::nullopt;
      std::string_view entity = raw.substr(i + 1, semi - i - 1);
      if (entity == "amp")
        out += '&';
      else if (entity == "lt")
        out += '<';
      else if (entity == "gt")
        out += '>';
      else if (entity == "quot")
        out += '"';
      else if (entity == "apos")
        out += '\'';
      else if (entity.size() > 1 && entity[0] == '#') {
        bool hex = entity[1] == 'x' || entity[1] == 'X';
        std::string digits(entity.substr(hex ? 2 : 1));
        char* stop = nullptr;
        unsigned long cp = std::strtoul(digits.c_str(), &stop, hex ? 16 : 10);
        if (digits.empty() || *stop != '\0' || cp == 0 || cp > 0x10ffff) return std::nullopt;
        appendUtf8(out, static_cast<std::uint32_t>(cp));
      } else {
        return std::nullopt;
      }
      i = semi;
    }
    return out;
  }

  core::Result<PlistValue> parseValue(int depth) {
    if (depth > kMaxDepth) return fail("nesting deeper than " + std::to_string(kMaxDepth) + " levels");
    bool selfClosing = false;
    std::size_t tagAt = mPos;
    auto tag = readOpenTag(selfClosing);
    if (!tag) return fail("a value was expected");
    PlistValue value;
    if (*tag == "true" || *tag == "false") {
      value.kind = PlistValue::Kind::Boolean;
      value.boolean = *tag == "true";
      if (!selfClosing && !readText(*tag)) return fail("an unterminated <" + *tag + ">");
      return value;
    }
    if (*tag == "dict" || *tag == "array") {
      value.kind = *tag == "dict" ? PlistValue::Kind::Dict : PlistValue::Kind::Array;
      if (selfClosing) return value;
      std::string closing = "</" + *tag + ">";
      while (true) {
        skipSpaceAndComments();
        if (startsWith(closing)) {
          mPos += closing.size();
          return value;
        }
        if (mPos >= mText.size()) return fail("an unterminated <" + *tag + ">");
        if (value.kind == PlistValue::Kind::Array) {
          auto item = parseValue(depth + 1);
          if (!item) return item;
          value.array.push_back(std::move(*item));
          continue;
        }
        bool keySelfClosing = false;
        auto keyTag = readOpenTag(keySelfClosing);
        if (!keyTag || *keyTag != "key") return fail("a <key> was expected in a <dict>");
        std::optional<std::string> key = keySelfClosing ? std::string() : readText("key");
        if (!key) return fail("an unterminated <key>");
        auto item = parseValue(depth + 1);
        if (!item) return item;
        value.dict.emplace_back(std::move(*key), std::move(*item));
      }
    }
    if (*tag != "string" && *tag != "integer" && *tag != "real" && *tag != "date" && *tag != "data") {
      mPos = tagAt;
      return fail("an unknown element <" + tag->substr(0, 32) + ">");
    }
    std::optional<std::string> text = selfClosing ? std::string() : readText(*tag);
    if (!text) return fail("an unterminated or malformed <" + *tag + ">");
    if (*tag == "integer") {
      value.kind = PlistValue::Kind::Integer;
      char* stop = nullptr;
      errno = 0;
      value.integer = std::strtoll(text->c_str(), &stop, 10);
      if (text->empty() || errno != 0 || *stop != '\0') return fail("an unreadable integer '" + *text + "'");
    } else if (*tag == "real") {
      value.kind = PlistValue::Kind::Real;
      char* stop = nullptr;
      value.real = std::strtod(text->c_str(), &stop);
      if (text->empty() || *stop != '\0') return fail("an unreadable real '" + *text + "'");
    } else {
      value.text = std::move(*text);
    }
    return value;
  }

  std::string_view mText;
  const std::string& mWhat;
  std::size_t mPos = 0;
};

}  // namespace

const PlistValue* PlistValue::get(std::string_view key) const {
  if (kind != Kind::Dict) return nullptr;
  for (auto it = dict.rbegin(); it != dict.rend(); ++it)
    if (it->first == key) return &it->second;
  return nullptr;
}

std::optional<double> PlistValue::number() const {
  if (kind == Kind::Integer) return static_cast<double>(integer);
  if (kind == Kind::Real) return real;
  return std::nullopt;
}

std::optional<std::string> PlistValue::string() const {
  if (kind == Kind::String) return text;
  return std::nullopt;
}

core::Result<PlistValue> parsePlist(std::string_view text, const std::string& what) {
  return Parser(text, what).parseDocument();
}

}  // namespace delineo::io
