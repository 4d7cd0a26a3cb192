// Serialises a pugixml tree the way AWS writes XML, for the Query and
// REST-XML codecs: an element without children prints as `<Name/>`, one with
// only text as `<Name>text</Name>`, otherwise its children on their own lines
// (indented by two spaces per level when `indent` is set, each line ending in
// '\n'; with `indent` off everything is on one line). Text escapes & < >,
// attribute values & < > ". Only element, text and CDATA nodes are written.
// (pugixml's own writer prints `<Name />` and leaves '>' raw in attributes.)
//
// Thread-safety: pure function.
#pragma once

#include <pugixml.hpp>
#include <string>
#include <string_view>
#include <vector>

namespace gee::protocol {

struct XmlWriteOptions {
  // Pretty-print with two-space indentation and a final newline.
  bool indent = true;
  // Start with `<?xml version="1.0" encoding="UTF-8"?>` and a newline.
  bool declaration = false;
};

// Writes `node` (an element, or a document whose element children are written).
std::string WriteXml(const pugi::xml_node& node, const XmlWriteOptions& options);

// Writes the same layout as WriteXml element by element, without building a
// tree first (the Query protocol's responses). Text passes through
// `XmlSafe`-style cleaning: control characters XML 1.0 cannot carry and
// invalid UTF-8 become U+FFFD.
//
//   XmlStreamWriter w(options);
//   w.Open("A"); w.Attribute("xmlns", ns); w.Element("B", "text"); w.Close("A");
//   std::string xml = std::move(w).Take();
//
// Thread-safety: one writer per thread.
class XmlStreamWriter {
 public:
  explicit XmlStreamWriter(XmlWriteOptions options = {});
  // Starts an element; its children (Open/Element) follow, then Close.
  void Open(std::string_view name);
  // Adds an attribute to the element just opened (before any child).
  void Attribute(std::string_view name, std::string_view value);
  // Ends the innermost open element, which must be `name`: `<name/>` when it
  // got no children.
  void Close(std::string_view name);
  // A text-only element `<name>text</name>` (also when `text` is empty).
  void Element(std::string_view name, std::string_view text);
  std::string Take() &&;

 private:
  void BeginChild();
  void Indent();

  XmlWriteOptions options_;
  std::string out_;
  // For each open element: whether its start tag still lacks its '>'.
  std::vector<bool> pending_;
};

// `text` with the characters XML 1.0 cannot carry (most control characters,
// invalid UTF-8, U+FFFE/U+FFFF) replaced by U+FFFD.
std::string XmlSafe(std::string_view text);

}  // namespace gee::protocol
