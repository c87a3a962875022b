import { define } from './define.js';

/** Why a path a command creates or writes cannot be (from the fs error's code). */
type PathProblem = { path: string } & (
  | { problem: 'name-too-long'; maxBytes: number }
  | { problem: 'in-the-way' | 'permission' | 'read-only' | 'disk-full' }
  | { problem: 'not-here'; errno: string }
  | { problem: 'other'; reason: string }
);

type NewPostProblem =
  | { problem: 'title-empty' }
  | { problem: 'unprintable'; what: string; character: string }
  | { problem: 'url-too-long'; reason: string }
  | { problem: 'tag'; reason: string }
  | { problem: 'posts-is-file'; folder: string };

/**
 * Errors of the commands that write files of their own (`new`, `init`, `clean`, the output folder of `build`): a
 * path in the message (as the user typed it or as the command shows it) rather than a location, since most are
 * folders, not files with lines.
 */
export const cliCodes = {
  PathUnwritable: define({
    kind: 'usage',
    title: 'File or folder cannot be written',
    message: (a: PathProblem) => {
      switch (a.problem) {
        case 'name-too-long':
          return `${a.path}: the name is too long for the file system`;
        case 'in-the-way':
          return `${a.path}: a file is in the way where a folder is needed`;
        case 'permission':
          return `${a.path}: permission denied`;
        case 'read-only':
          return `${a.path}: the file system is read-only`;
        case 'disk-full':
          return `${a.path}: the disk is full`;
        case 'not-here':
          return `${a.path}: cannot be created here (${a.errno})`;
        case 'other':
          return `${a.path}: cannot be written (${a.reason})`;
      }
    },
    hint: (a) => {
      switch (a.problem) {
        case 'name-too-long':
          return `use a shorter name (at most ${a.maxBytes} bytes a folder or file name)`;
        case 'in-the-way':
          return 'move or rename that file, or choose another folder';
        case 'permission':
          return 'choose a folder you can write to, or change its permissions';
        case 'read-only':
          return 'choose a folder on a writable disk';
        case 'disk-full':
          return 'free some space and run the command again';
        case 'not-here':
          return 'choose a folder on an ordinary disk, such as one in your home folder';
        case 'other':
          return 'check the path and its permissions';
      }
    },
  }),
  NewPostInvalid: define({
    kind: 'usage',
    title: 'New post refused',
    message: (a: NewPostProblem) => {
      switch (a.problem) {
        case 'title-empty':
          return 'the title is empty';
        case 'unprintable':
          return `${a.what} holds the control character ${a.character}, which a web page cannot hold; nothing was written`;
        case 'url-too-long':
          return `the title is too long for a post's URL: ${a.reason}; nothing was written`;
        case 'tag':
          return `--tags: ${a.reason}; nothing was written`;
        case 'posts-is-file':
          return `${a.folder} is a file, but posts go in a folder of that name; nothing was written`;
      }
    },
    hint: (a) => {
      switch (a.problem) {
        case 'title-empty':
          return 'blogbuild new "My first post"';
        case 'unprintable':
          return 'remove it';
        case 'url-too-long':
          return 'use a shorter title (you can lengthen `title:` in the new file afterwards)';
        case 'tag':
          return 'use plain, short names separated by commas, e.g. --tags news,recipes';
        case 'posts-is-file':
          return 'rename or move that file, or pass --posts DIR';
      }
    },
  }),
  PostExists: define({
    kind: 'content',
    title: 'A post is already there',
    message: (a: { problem: 'file'; file: string } | { problem: 'slug'; other: string; slug: string }) =>
      a.problem === 'file'
        ? `${a.file} already exists; nothing was written`
        : `${a.other} already has the slug "${a.slug}", so a new post would collide with it at posts/${a.slug}/; nothing was written`,
    hint: (a) => (a.problem === 'file' ? 'edit that file, or choose another title' : `choose another title, or edit ${a.other}`),
  }),
  InitFolderInvalid: define({
    kind: 'usage',
    title: 'Blog folder is a file',
    message: (a: { folder: string }) => `${a.folder} exists and is not a folder`,
    hint: 'choose another name: blogbuild init my-blog',
  }),
  InitFolderNotEmpty: define({
    kind: 'content',
    title: 'Blog folder is not empty',
    message: (a: { folder: string; entries: string }) => `${a.folder} is not empty (${a.entries}); nothing was written`,
    hint: 'run blogbuild init in an empty folder (blogbuild init my-blog), or add --force to add the missing files and keep the existing ones',
  }),
};
