import { useEffect, useState } from "react";
import { Button, Input, Modal } from "antd";
import { useI18n } from "../i18n";

/** A reason / comment dialog (decline, withdraw, reject, cancel, approve); `required` refuses an empty text before calling onOk. */
export function ReasonModal({
  open,
  title,
  okText,
  required,
  danger = true,
  placeholder,
  onClose,
  onOk,
}: {
  open: boolean;
  title: string;
  okText: string;
  required?: boolean;
  danger?: boolean;
  placeholder?: string;
  onClose: () => void;
  onOk: (reason: string) => Promise<void>;
}) {
  const { t } = useI18n();
  const [reason, setReason] = useState("");
  const [busy, setBusy] = useState(false);
  const [missing, setMissing] = useState(false);
  useEffect(() => {
    if (open) {
      setReason("");
      setMissing(false);
    }
  }, [open]);
  return (
    <Modal
      open={open}
      title={title}
      onCancel={onClose}
      okText={okText}
      cancelText={t("common.cancel")}
      confirmLoading={busy}
      okButtonProps={{ danger, "data-testid": "reason-confirm" } as React.ComponentProps<typeof Button>}
      onOk={async () => {
        if (required && !reason.trim()) {
          setMissing(true);
          return;
        }
        setBusy(true);
        try {
          await onOk(reason.trim());
        } finally {
          setBusy(false);
        }
      }}
      destroyOnHidden
    >
      <Input.TextArea
        rows={3}
        maxLength={500}
        showCount
        value={reason}
        status={missing ? "error" : undefined}
        onChange={(e) => {
          setReason(e.target.value);
          setMissing(false);
        }}
        placeholder={placeholder ?? t(required ? "ord.reasonRequired" : "neg.reasonPlaceholder")}
        data-testid="reason-input"
      />
      {missing && <div className="ant-form-item-explain-error" data-testid="reason-missing">{t("ord.reasonRequired")}</div>}
    </Modal>
  );
}
