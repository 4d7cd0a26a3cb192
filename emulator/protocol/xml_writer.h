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

namespace gee::protocol {

struct XmlWriteOptions {
  // Pretty-print with two-space indentation and a final newline.
  bool indent = true;
  // Start with `<?xml version="1.0" encoding="UTF-8"?>` and a newline.
  bool declaration = false;
};

// Writes `node` (an element, or a document whose element children are written).
std::string WriteXml(const pugi::xml_node& node, const XmlWriteOptions& options);

}  // namespace gee::protocol
