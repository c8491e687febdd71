#include "backend/s3_xml.hpp"

#include <climits>
#include <cstring>
#include <memory>

#include <expat.h>

#include "infinitree/error.hpp"

namespace infinitree::s3 {

namespace {

// Real S3 documents nest three deep (ListBucketResult/Contents/Key); anything much deeper
// is not one of them.
constexpr size_t kMaxDepth = 16;

// Walks a document keeping the path of open elements and the text of the innermost one,
// and hands every closed element to `on_close(path, text)`.
class Walker {
 public:
  using OnClose = void (*)(void* user, const std::vector<std::string>& path,
                           const std::string& text);

  Walker(OnClose on_close, void* user) : on_close_(on_close), user_(user) {
    parser_.reset(XML_ParserCreate("UTF-8"));
    if (!parser_) throw Error(Errc::out_of_memory, "cannot create an XML parser");
    XML_SetUserData(parser_.get(), this);
    XML_SetElementHandler(parser_.get(), &Walker::start, &Walker::end);
    XML_SetCharacterDataHandler(parser_.get(), &Walker::text);
    XML_SetStartDoctypeDeclHandler(parser_.get(), &Walker::doctype);
  }

  // Empty on success, else what went wrong.
  std::string parse(std::string_view xml) {
    if (xml.size() > static_cast<size_t>(INT_MAX)) return "document too large";
    if (XML_Parse(parser_.get(), xml.data(), static_cast<int>(xml.size()), XML_TRUE) ==
        XML_STATUS_OK)
      return {};
    if (!problem_.empty()) return problem_;
    return std::string(XML_ErrorString(XML_GetErrorCode(parser_.get()))) + " at line " +
           std::to_string(XML_GetCurrentLineNumber(parser_.get()));
  }

  // Stops the parse; parse() then returns `why`.
  void abort(std::string why) {
    if (problem_.empty()) problem_ = std::move(why);
    XML_StopParser(parser_.get(), XML_FALSE);
  }

  const std::vector<std::string>& path() const { return path_; }

 private:
  struct Free {
    void operator()(XML_ParserStruct* p) const { XML_ParserFree(p); }
  };

  static void start(void* self, const XML_Char* name, const XML_Char** /*attributes*/) {
    auto* w = static_cast<Walker*>(self);
    if (w->path_.size() >= kMaxDepth) return w->abort("elements nested too deeply");
    w->path_.emplace_back(name);
    w->text_.clear();
  }

  static void end(void* self, const XML_Char* /*name*/) {
    auto* w = static_cast<Walker*>(self);
    w->on_close_(w->user_, w->path_, w->text_);
    w->path_.pop_back();
    w->text_.clear();
  }

  static void text(void* self, const XML_Char* s, int len) {
    static_cast<Walker*>(self)->text_.append(s, static_cast<size_t>(len));
  }

  static void doctype(void* self, const XML_Char*, const XML_Char*, const XML_Char*, int) {
    static_cast<Walker*>(self)->abort("a DOCTYPE is not allowed in an S3 response");
  }

  std::unique_ptr<XML_ParserStruct, Free> parser_;
  OnClose on_close_;
  void* user_;
  std::vector<std::string> path_;
  std::string text_;  // of the innermost open element (mixed content is not kept apart)
  std::string problem_;
};

bool path_is(const std::vector<std::string>& path, std::initializer_list<const char*> want) {
  if (path.size() != want.size()) return false;
  size_t i = 0;
  for (const char* w : want)
    if (path[i++] != w) return false;
  return true;
}

}  // namespace

ErrorBody parse_error_body(std::string_view xml) {
  ErrorBody out;
  try {
    Walker w(
        [](void* user, const std::vector<std::string>& path, const std::string& text) {
          auto* o = static_cast<ErrorBody*>(user);
          if (path_is(path, {"Error", "Code"})) o->code = text;
          if (path_is(path, {"Error", "Message"})) o->message = text;
        },
        &out);
    if (!w.parse(xml).empty()) return {};
  } catch (const Error&) {
    return {};  // only out_of_memory: an error body we cannot read is an empty one
  }
  return out;
}

ListPage parse_list_page(std::string_view xml, size_t max_keys) {
  struct State {
    ListPage page;
    size_t max_keys;
    Walker* walker = nullptr;
  } state{{}, max_keys};
  Walker w(
      [](void* user, const std::vector<std::string>& path, const std::string& text) {
        auto* s = static_cast<State*>(user);
        if (path_is(path, {"ListBucketResult", "Contents", "Key"})) {
          if (s->page.keys.size() == s->max_keys)
            return s->walker->abort("more than " + std::to_string(s->max_keys) +
                                    " keys in one page");
          s->page.keys.push_back(text);
        } else if (path_is(path, {"ListBucketResult", "IsTruncated"})) {
          s->page.truncated = text == "true";
        } else if (path_is(path, {"ListBucketResult", "NextContinuationToken"})) {
          s->page.next_token = text;
        } else if (path.size() == 1 && path[0] != "ListBucketResult") {
          s->walker->abort("the document is a <" + path[0] + ">, not a <ListBucketResult>");
        }
      },
      &state);
  state.walker = &w;
  std::string problem = w.parse(xml);
  if (!problem.empty())
    throw Error(Errc::remote, "malformed ListObjectsV2 response: " + problem);
  return std::move(state.page);
}

}  // namespace infinitree::s3
