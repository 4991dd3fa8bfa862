/**
 * Path helpers that work for Windows (`C:\Windows\System32\cmd.exe`) and POSIX (`/usr/bin/bash`)
 * paths alike, whatever the host: events from both arrive at the same server, so `node:path`
 * (which follows the server's OS, and is off-limits in lib/detection) is the wrong tool.
 */

/** Index of the last `\` or `/`, or -1. */
function lastSeparator(path: string): number {
  for (let i = path.length - 1; i >= 0; i--) {
    const c = path.charCodeAt(i);
    if (c === 92 /* \ */ || c === 47 /* / */) return i;
  }
  return -1;
}

/** `C:\WINDOWS\SYSTEM32\CMD.EXE` → `CMD.EXE` (case kept); "" when the path ends in a separator. */
export function baseName(path: string): string {
  const i = lastSeparator(path);
  return i < 0 ? path : path.slice(i + 1);
}

/** `C:\Windows\System32\cmd.exe` → `C:\Windows\System32`; undefined without a separator. */
export function dirName(path: string): string | undefined {
  const i = lastSeparator(path);
  if (i < 0) return undefined;
  // "/bin" → "/" and "C:\x" → "C:\" keep the root rather than becoming "" / "C:".
  if (i === 0) return path.slice(0, 1);
  if (i === 2 && path.charCodeAt(1) === 58 /* : */) return path.slice(0, 3);
  return path.slice(0, i);
}

/**
 * The extension of a file name without the dot (ECS `file.extension`): the last one only
 * (`a.tar.gz` → `gz`), none for `.bashrc`, `name.` or `name`.
 */
export function extensionOf(name: string): string | undefined {
  const dot = name.lastIndexOf(".");
  if (dot <= 0 || dot === name.length - 1) return undefined;
  return name.slice(dot + 1);
}

/**
 * Whether a path is written the Windows way: a drive (`C:\`, `c:/`), a UNC or device path
 * (`\\server\share`, `\Device\HarddiskVolume2\…`), or any backslash and no forward slash.
 */
export function isWindowsPath(path: string): boolean {
  if (path.length >= 3 && path.charCodeAt(1) === 58 /* : */) {
    const c = path.charCodeAt(2);
    const letter = path.charCodeAt(0) | 32;
    if ((c === 92 || c === 47) && letter >= 97 && letter <= 122) return true;
  }
  return path.charCodeAt(0) === 92 || (path.includes("\\") && !path.includes("/"));
}
