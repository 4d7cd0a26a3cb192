#include "protocol/xml_writer.h"

namespace gee::protocol {
namespace {

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
