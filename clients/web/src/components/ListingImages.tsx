import { useRef, useState } from "react";
import { Button, Image, Progress, Space, Spin, Upload } from "antd";
import { DeleteOutlined, FileImageOutlined, PlusOutlined } from "@ant-design/icons";
import { uploadFile } from "../lib/files";
import { useFileUrl } from "../lib/useFileUrl";
import { parseError } from "../api/errors";
import { useI18n } from "../i18n";

const MAX_IMAGES = 10;
const MAX_BYTES = 10 * 1024 * 1024;

/** One image file loaded through FileService.DownloadFile; a placeholder when it cannot be read. */
export function FileImage({ fileId, size = 96, preview = true }: { fileId: string; size?: number; preview?: boolean }) {
  const { t } = useI18n();
  const { url, failed } = useFileUrl(fileId);

  if (failed)
    return (
      <div className="file-image-placeholder" style={{ width: size, height: size }} title={t("listing.imageUnavailable")}>
        <FileImageOutlined />
      </div>
    );
  if (!url)
    return (
      <div className="file-image-placeholder" style={{ width: size, height: size }}>
        <Spin size="small" />
      </div>
    );
  return <Image src={url} width={size} height={size} preview={preview} className="file-image" data-testid="listing-image" />;
}

interface Props {
  value?: string[];
  onChange?: (ids: string[]) => void;
  /** The seller enterprise the images are uploaded for. */
  enterpriseId: string;
  onError?: (message: string) => void;
}

/** Form control whose value is the list of uploaded image file ids (at most 10). */
export function ListingImagesInput({ value = [], onChange, enterpriseId, onError }: Props) {
  const { t } = useI18n();
  const [progress, setProgress] = useState<number | null>(null);
  // Several files may finish one after another: append to the latest list, not the one of the click.
  const latest = useRef(value);
  latest.current = value;

  const upload = async (file: File) => {
    if (!file.type.startsWith("image/") || file.size <= 0 || file.size > MAX_BYTES) {
      onError?.(t("listing.imageHint"));
      return;
    }
    setProgress(0);
    try {
      const meta = await uploadFile(file, enterpriseId, setProgress);
      latest.current = [...latest.current, meta.fileId].slice(0, MAX_IMAGES);
      onChange?.(latest.current);
    } catch (e) {
      onError?.(`${t("ent.uploadFailed")}: ${parseError(e).message}`);
    } finally {
      setProgress(null);
    }
  };

  return (
    <div data-testid="listing-images">
      <Space wrap align="start">
        {value.map((id) => (
          <div key={id} className="image-tile">
            <FileImage fileId={id} />
            <Button
              size="small"
              type="text"
              danger
              icon={<DeleteOutlined />}
              aria-label={t("common.delete")}
              onClick={() => onChange?.(value.filter((v) => v !== id))}
              data-testid="listing-image-remove"
            />
          </div>
        ))}
        {value.length < MAX_IMAGES && (
          <Upload
            accept="image/jpeg,image/png,image/webp,.jpg,.jpeg,.png,.webp"
            showUploadList={false}
            multiple
            beforeUpload={(file) => {
              void upload(file as unknown as File);
              return Upload.LIST_IGNORE;
            }}
          >
            <button type="button" className="image-add" data-testid="listing-image-add" disabled={progress !== null}>
              {progress !== null ? <Progress type="circle" size={40} percent={progress} /> : <PlusOutlined />}
              <div>{t("listing.addImage")}</div>
            </button>
          </Upload>
        )}
      </Space>
      <div className="field-hint">{t("listing.imageHint")}</div>
    </div>
  );
}
