// The libfuse3 callbacks: each asks MountFs (which never throws) and fills in what the
// kernel wants. Every request that would change something answers EROFS, even though the
// mount is read-only ("-o ro") and the kernel refuses most of them itself.
#define FUSE_USE_VERSION 35
#include "mount_fuse.hpp"

#include <fcntl.h>
#include <fuse.h>
#include <sys/stat.h>
#include <sys/statvfs.h>

#include <cerrno>
#include <csignal>
#include <cstring>
#include <memory>
#include <vector>

#include "infinitree/error.hpp"

namespace infinitree::cli {

namespace {

MountFs& fs() { return *static_cast<MountFs*>(fuse_get_context()->private_data); }

mode_t type_bits(MountAttr::Kind kind) {
  return kind == MountAttr::kDir ? S_IFDIR : kind == MountAttr::kLink ? S_IFLNK : S_IFREG;
}

void fill_stat(const MountAttr& a, struct stat* st) {
  std::memset(st, 0, sizeof *st);
  st->st_mode = type_bits(a.kind) | (a.mode & 07777);
  st->st_nlink = a.kind == MountAttr::kDir ? 2 : 1;
  st->st_size = static_cast<off_t>(a.size);
  st->st_blocks = static_cast<blkcnt_t>((a.size + 511) / 512);
  st->st_blksize = 128 * 1024;
  st->st_uid = a.uid;
  st->st_gid = a.gid;
  int64_t secs = a.mtime_ns / 1000000000, ns = a.mtime_ns % 1000000000;
  if (ns < 0) ns += 1000000000, secs -= 1;
  st->st_mtim.tv_sec = static_cast<time_t>(secs);
  st->st_mtim.tv_nsec = static_cast<long>(ns);
  st->st_atim = st->st_ctim = st->st_mtim;
}

void* op_init(struct fuse_conn_info*, struct fuse_config* cfg) {
  // What a path shows never changes (a commit is immutable; the top folders hold only
  // symlinks), so the kernel may keep file pages across opens.
  cfg->kernel_cache = 1;
  return fuse_get_context()->private_data;
}

int op_getattr(const char* path, struct stat* st, struct fuse_file_info*) {
  MountAttr a;
  int rc = fs().getattr(path, a);
  if (rc == 0) fill_stat(a, st);
  return rc;
}

int op_readlink(const char* path, char* buf, size_t size) {
  std::string target;
  int rc = fs().readlink(path, target);
  if (rc != 0 || size == 0) return rc;
  size_t n = std::min(target.size(), size - 1);
  std::memcpy(buf, target.data(), n);
  buf[n] = '\0';
  return 0;
}

int op_readdir(const char* path, void* buf, fuse_fill_dir_t filler, off_t, struct fuse_file_info*,
               enum fuse_readdir_flags) {
  filler(buf, ".", nullptr, 0, static_cast<fuse_fill_dir_flags>(0));
  filler(buf, "..", nullptr, 0, static_cast<fuse_fill_dir_flags>(0));
  return fs().readdir(path, [&](const std::string& name, MountAttr::Kind kind) {
    struct stat st;
    std::memset(&st, 0, sizeof st);
    st.st_mode = type_bits(kind);
    filler(buf, name.c_str(), &st, 0, static_cast<fuse_fill_dir_flags>(0));
  });
}

int op_open(const char* path, struct fuse_file_info* fi) {
  if ((fi->flags & O_ACCMODE) != O_RDONLY || (fi->flags & O_TRUNC)) return -EROFS;
  std::unique_ptr<MountFile> file;
  int rc = fs().open(path, file);
  if (rc != 0) return rc;
  fi->fh = reinterpret_cast<uint64_t>(file.release());
  fi->keep_cache = 1;
  return 0;
}

int op_read(const char*, char* buf, size_t size, off_t offset, struct fuse_file_info* fi) {
  if (offset < 0) return -EINVAL;
  auto* file = reinterpret_cast<MountFile*>(fi->fh);
  return static_cast<int>(file->read(buf, size, static_cast<uint64_t>(offset)));
}

int op_release(const char*, struct fuse_file_info* fi) {
  delete reinterpret_cast<MountFile*>(fi->fh);
  fi->fh = 0;
  return 0;
}

int op_statfs(const char*, struct statvfs* s) {
  std::memset(s, 0, sizeof *s);
  s->f_bsize = s->f_frsize = 4096;
  s->f_namemax = 255;
  s->f_flag = ST_RDONLY;
  return 0;
}

// Writes of every kind.
int rofs_path(const char*) { return -EROFS; }
int rofs_mode(const char*, mode_t) { return -EROFS; }
int rofs_mknod(const char*, mode_t, dev_t) { return -EROFS; }
int rofs_two(const char*, const char*) { return -EROFS; }
int rofs_rename(const char*, const char*, unsigned int) { return -EROFS; }
int rofs_chmod(const char*, mode_t, struct fuse_file_info*) { return -EROFS; }
int rofs_chown(const char*, uid_t, gid_t, struct fuse_file_info*) { return -EROFS; }
int rofs_truncate(const char*, off_t, struct fuse_file_info*) { return -EROFS; }
int rofs_write(const char*, const char*, size_t, off_t, struct fuse_file_info*) { return -EROFS; }
int rofs_create(const char*, mode_t, struct fuse_file_info*) { return -EROFS; }
int rofs_utimens(const char*, const struct timespec*, struct fuse_file_info*) { return -EROFS; }
int rofs_setxattr(const char*, const char*, const char*, size_t, int) { return -EROFS; }
int rofs_removexattr(const char*, const char*) { return -EROFS; }
int rofs_fallocate(const char*, int, off_t, off_t, struct fuse_file_info*) { return -EROFS; }

struct fuse_operations operations() {
  struct fuse_operations ops;
  std::memset(&ops, 0, sizeof ops);
  ops.init = op_init;
  ops.getattr = op_getattr;
  ops.readlink = op_readlink;
  ops.readdir = op_readdir;
  ops.open = op_open;
  ops.read = op_read;
  ops.release = op_release;
  ops.statfs = op_statfs;
  ops.mknod = rofs_mknod;
  ops.mkdir = rofs_mode;
  ops.unlink = rofs_path;
  ops.rmdir = rofs_path;
  ops.symlink = rofs_two;
  ops.rename = rofs_rename;
  ops.link = rofs_two;
  ops.chmod = rofs_chmod;
  ops.chown = rofs_chown;
  ops.truncate = rofs_truncate;
  ops.write = rofs_write;
  ops.create = rofs_create;
  ops.utimens = rofs_utimens;
  ops.setxattr = rofs_setxattr;
  ops.removexattr = rofs_removexattr;
  ops.fallocate = rofs_fallocate;
  return ops;
}

}  // namespace

void serve_fuse(MountFs& mfs, const std::string& mountpoint, const FuseOptions& options,
                const std::function<void()>& mounted) {
  // Alone, the mount is its user's only (FUSE's rule) and nothing needs checking. Opened
  // to others, the kernel enforces the stored modes and owners (default_permissions), as
  // restic does, so a file stored 0600 stays its owner's.
  std::vector<std::string> words = {"infinitree", "-o",
                                    std::string("ro,fsname=infinitree,subtype=infinitree") +
                                        (options.allow_other ? ",allow_other,default_permissions" : "")};
  if (options.debug) words.push_back("-d");
  std::vector<char*> argv;
  for (auto& w : words) argv.push_back(w.data());
  struct fuse_args args = FUSE_ARGS_INIT(static_cast<int>(argv.size()), argv.data());
  const struct fuse_operations ops = operations();
  struct fuse* f = fuse_new(&args, &ops, sizeof ops, &mfs);
  fuse_opt_free_args(&args);
  if (!f) throw Error(Errc::internal, "libfuse refused the mount options (see above)");
  if (fuse_mount(f, mountpoint.c_str()) != 0) {
    fuse_destroy(f);
    throw Error(Errc::io, "cannot mount on " + mountpoint +
                              " (see above; FUSE needs /dev/fuse and fusermount3, package fuse3)");
  }
  struct fuse_session* se = fuse_get_session(f);
  // libfuse takes over only signals that are not ignored; a background job of a shell
  // without job control starts with SIGINT ignored, and `kill -INT` must still unmount.
  // (SIGHUP stays as inherited: a mount started under nohup outlives its terminal.)
  std::signal(SIGINT, SIG_DFL);
  std::signal(SIGTERM, SIG_DFL);
  if (fuse_set_signal_handlers(se) != 0) {
    fuse_unmount(f);
    fuse_destroy(f);
    throw Error(Errc::internal, "cannot install the signal handlers that unmount");
  }
  mounted();
  struct fuse_loop_config loop;
  loop.clone_fd = 0;
  loop.max_idle_threads = 4;
  const int rc = fuse_loop_mt(f, &loop);
  fuse_remove_signal_handlers(se);
  fuse_unmount(f);
  fuse_destroy(f);
  // rc > 0: the signal that ended it (a clean unmount); rc < 0: the session failed.
  if (rc < 0) throw Error(errc_from_errno(-rc), std::string("the FUSE session failed: ") + std::strerror(-rc));
}

}  // namespace infinitree::cli
