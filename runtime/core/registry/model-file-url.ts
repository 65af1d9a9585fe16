// modelFileUrl: where a registry file lives on the hub or a mirror (Hugging Face layout).

/** The default base URL; the CLI passes NEXUS_MODEL_MIRROR instead when it is set. */
export const defaultModelMirror = 'https://huggingface.co';

/** `${mirror}/${repo}/resolve/${revision}/${path}`, each path segment URL-encoded. */
export function modelFileUrl(mirror: string, repo: string, revision: string, path: string): string {
  const base = mirror.replace(/\/+$/, '');
  const encode = (value: string) => value.split('/').map(encodeURIComponent).join('/');
  return `${base}/${encode(repo)}/resolve/${encodeURIComponent(revision)}/${encode(path)}`;
}
