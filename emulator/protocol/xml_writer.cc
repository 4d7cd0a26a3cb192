#include "protocol/xml_writer.h"

#include <algorithm>
#include <array>

#include "protocol/utf8.h"

namespace gee::protocol {
namespace {

// Appends `text` escaped as element text (& < >) or, with `attribute`, also ".
void EscapeView(std::string_view text, bool attribute, std::string& out) {
  size_t start = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    const char* entity = nullptr;
    switch (text[i]) {
      case '&': entity = "&amp;"; break;
      case '<': entity = "&lt;"; break;
      case '>': entity = "&gt;"; break;
      case '"':
        if (attribute) entity = "&quot;";
        break;
      default: break;
    }
    if (entity == nullptr) continue;
    out.append(text, start, i - start);
    out += entity;
    start = i + 1;
  }
  out.append(text, start, text.size() - start);
}

// True when every byte is printable ASCII, tab, CR or LF: such text is
// already XML-safe.
constexpr bool IsPlainAsciiByte(unsigned char c) {
  return c < 0x7F && (c >= 0x20 || c == '\t' || c == '\n' || c == '\r');
}

bool PlainAscii(std::string_view text) {
  return std::all_of(text.begin(), text.end(),
                     [](char c) { return IsPlainAsciiByte(static_cast<unsigned char>(c)); });
}

// Bytes that text cannot be copied past unchanged: the ones EscapeView
// escapes, and those PlainAscii refuses.
constexpr std::array<bool, 256> kNeedsWork = [] {
  std::array<bool, 256> table{};
  for (int c = 0; c < 256; ++c) {
    table[c] = !IsPlainAsciiByte(static_cast<unsigned char>(c)) || c == '&' || c == '<' ||
               c == '>' || c == '"';
  }
  return table;
}();

// Appends `text` made XML-safe and escaped.
void AppendText(std::string_view text, bool attribute, std::string& out) {
  // Most text (names, ARNs, ids, base64) needs nothing: one table lookup per
  // byte, then a single append.
  const bool plain = std::none_of(text.begin(), text.end(),
                                  [](char c) { return kNeedsWork[static_cast<unsigned char>(c)]; });
  if (plain) {
    out.append(text);
    return;
  }
  if (PlainAscii(text)) return EscapeView(text, attribute, out);
  EscapeView(XmlSafe(text), attribute, out);
}

void Escape(const char* text, bool attribute, std::string& out) {
  for (const char* p = text; *p != '\0'; ++p) {
    switch (*p) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"':
        if (attribute) {
          out += "&quot;";
        } else {
          out.push_back('"');
        }
        break;
      default: out.push_back(*p);
    }
  }
}

bool IsText(const pugi::xml_node& n) {
  return n.type() == pugi::node_pcdata || n.type() == pugi::node_cdata;
}

void Write(const pugi::xml_node& element, int level, const XmlWriteOptions& options, std::string& out) {
  if (options.indent) out.append(static_cast<size_t>(level) * 2, ' ');
  out.push_back('<');
  out += element.name();
  for (const pugi::xml_attribute& a : element.attributes()) {
    out.push_back(' ');
    out += a.name();
    out += "=\"";
    Escape(a.value(), true, out);
    out.push_back('"');
  }
  bool has_elements = false;
  bool has_text = false;
  for (const pugi::xml_node& c : element.children()) {
    has_elements = has_elements || c.type() == pugi::node_element;
    has_text = has_text || IsText(c);
  }
  if (!has_elements && !has_text) {
    out += "/>";
  } else if (!has_elements) {
    out.push_back('>');
    for (const pugi::xml_node& c : element.children()) Escape(c.value(), false, out);
    out += "</";
    out += element.name();
    out.push_back('>');
  } else {
    out.push_back('>');
    if (options.indent) out.push_back('\n');
    for (const pugi::xml_node& c : element.children()) {
      if (c.type() == pugi::node_element) {
        Write(c, level + 1, options, out);
      } else if (IsText(c)) {
        Escape(c.value(), false, out);
      }
    }
    if (options.indent) out.append(static_cast<size_t>(level) * 2, ' ');
    out += "</";
    out += element.name();
    out.push_back('>');
  }
  if (options.indent) out.push_back('\n');
}

}  // namespace

std::string XmlSafe(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (wchar_t c : Utf8ToWide(text)) {
    const char32_t cp = static_cast<char32_t>(c);
    const bool allowed = cp == 0x9 || cp == 0xA || cp == 0xD || (cp >= 0x20 && cp <= 0xD7FF) ||
                         (cp >= 0xE000 && cp <= 0xFFFD) || (cp >= 0x10000 && cp <= 0x10FFFF);
    AppendUtf8(allowed ? cp : 0xFFFD, out);
  }
  return out;
}

XmlStreamWriter::XmlStreamWriter(XmlWriteOptions options) : options_(options) {
  out_.reserve(512);
  if (options_.declaration) out_ += "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
}

void XmlStreamWriter::Indent() {
  if (options_.indent) out_.append(pending_.size() * 2, ' ');
}

void XmlStreamWriter::BeginChild() {
  if (pending_.empty() || !pending_.back()) return;
  pending_.back() = false;
  out_.push_back('>');
  if (options_.indent) out_.push_back('\n');
}

void XmlStreamWriter::Open(std::string_view name) {
  BeginChild();
  Indent();
  out_.push_back('<');
  out_ += name;
  pending_.push_back(true);
}

void XmlStreamWriter::Attribute(std::string_view name, std::string_view value) {
  out_.push_back(' ');
  out_ += name;
  out_ += "=\"";
  AppendText(value, true, out_);
  out_.push_back('"');
}

void XmlStreamWriter::Close(std::string_view name) {
  const bool empty = pending_.back();
  pending_.pop_back();
  if (empty) {
    out_ += "/>";
  } else {
    Indent();
    out_ += "</";
    out_ += name;
    out_.push_back('>');
  }
  if (options_.indent) out_.push_back('\n');
}

void XmlStreamWriter::Element(std::string_view name, std::string_view text) {
  BeginChild();
  Indent();
  out_.push_back('<');
  out_ += name;
  out_.push_back('>');
  AppendText(text, false, out_);
  out_ += "</";
  out_ += name;
  out_.push_back('>');
  if (options_.indent) out_.push_back('\n');
}

std::string XmlStreamWriter::Take() && { return std::move(out_); }

std::string WriteXml(const pugi::xml_node& node, const XmlWriteOptions& options) {
  std::string out;
  if (options.declaration) out += "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  if (node.type() == pugi::node_document) {
    for (const pugi::xml_node& c : node.children()) {
      if (c.type() == pugi::node_element) Write(c, 0, options, out);
    }
  } else if (node.type() == pugi::node_element) {
    Write(node, 0, options, out);
  }
  return out;
}

}  // namespace gee::protocol
