import { useEffect, useState } from "react";
import { downloadFile } from "./files";

/**
 * A stored file as an object URL (downloaded through FileService.DownloadFile, which checks the caller may read it),
 * revoked when the component unmounts or the file changes. `url` is null while loading; `failed` once it cannot be read.
 */
export function useFileUrl(fileId: string): { url: string | null; failed: boolean } {
  const [url, setUrl] = useState<string | null>(null);
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    let live = true;
    let objectUrl: string | null = null;
    setUrl(null);
    setFailed(false);
    downloadFile(fileId)
      .then(({ blob }) => {
        if (!live) return;
        objectUrl = URL.createObjectURL(blob);
        setUrl(objectUrl);
      })
      .catch(() => live && setFailed(true));
    return () => {
      live = false;
      if (objectUrl) URL.revokeObjectURL(objectUrl);
    };
  }, [fileId]);
  return { url, failed };
}
