import { fileClient } from "../api/client";
import type { FileMetadata } from "../gen/b2btrade/files/v1/file_service_pb";

async function sha256Hex(data: ArrayBuffer): Promise<string> {
  // crypto.subtle exists only in secure contexts (https, localhost); the hash is optional for the server.
  if (!globalThis.crypto?.subtle) return "";
  const digest = await crypto.subtle.digest("SHA-256", data);
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0")).join("");
}

/** StartUpload → UploadChunk (≤ max_chunk_bytes each) → CompleteUpload with the SHA-256. */
export async function uploadFile(file: File, enterpriseId: string | undefined, onProgress?: (percent: number) => void): Promise<FileMetadata> {
  const bytes = new Uint8Array(await file.arrayBuffer());
  const start = await fileClient.startUpload({ displayName: file.name.slice(0, 200) || "file", sizeBytes: BigInt(bytes.length), enterpriseId: enterpriseId ?? "" });
  const chunk = start.maxChunkBytes > 0 ? start.maxChunkBytes : 256 * 1024;
  let offset = 0;
  while (offset < bytes.length) {
    const end = Math.min(offset + chunk, bytes.length);
    await fileClient.uploadChunk({ uploadId: start.uploadId, offset: BigInt(offset), data: bytes.subarray(offset, end) });
    offset = end;
    onProgress?.(Math.round((offset / bytes.length) * 100));
  }
  const sha256 = await sha256Hex(bytes.buffer as ArrayBuffer);
  const done = await fileClient.completeUpload({ uploadId: start.uploadId, sha256 });
  if (!done.file) throw new Error("CompleteUpload returned no file");
  return done.file;
}

/** DownloadFile (server streaming): assembles the chunks into a Blob typed by the sniffed content type. */
export async function downloadFile(fileId: string): Promise<{ file: FileMetadata | undefined; blob: Blob }> {
  const parts: Uint8Array[] = [];
  let meta: FileMetadata | undefined;
  for await (const res of fileClient.downloadFile({ fileId })) {
    if (res.file) meta = res.file;
    if (res.data.length > 0) parts.push(res.data);
  }
  const blob = new Blob(parts as BlobPart[], { type: meta?.contentType || "application/octet-stream" });
  return { file: meta, blob };
}
