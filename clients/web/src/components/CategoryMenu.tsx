import { useState } from "react";
import { Button, Popover } from "antd";
import { AppstoreOutlined, DownOutlined, RightOutlined } from "@ant-design/icons";
import { categoryName } from "../lib/categories";
import type { Tree } from "../lib/catalogData";
import { useI18n } from "../i18n";

/**
 * "全部分类" mega-menu: 大类 on the left; the hovered (or clicked) one shows its 二级 categories as headings with their
 * 三级 categories beside them. Every entry sets the category filter (a 大类 or 二级 covers its whole subtree).
 */
export function CategoryMenu({ tree, onSelect }: { tree: Tree; onSelect: (categoryId: string) => void }) {
  const { t, lang } = useI18n();
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(tree.roots[0]?.categoryId ?? "");

  const pick = (id: string) => {
    setOpen(false);
    onSelect(id);
  };

  const root = tree.byId.get(active);
  const groups = root ? (tree.children.get(root.categoryId) ?? []) : [];

  const content = (
    <div className="cat-mega" data-testid="category-mega">
      <ul className="cat-mega-roots">
        <li>
          <button type="button" className="cat-mega-root" data-testid="cat-all" onClick={() => pick("")}>
            {t("cat.all")}
          </button>
        </li>
        {tree.roots.map((r) => (
          <li key={r.categoryId}>
            <button
              type="button"
              className={`cat-mega-root ${r.categoryId === active ? "active" : ""}`}
              data-testid={`cat-root-${r.categoryId}`}
              onMouseEnter={() => setActive(r.categoryId)}
              onFocus={() => setActive(r.categoryId)}
              onClick={() => setActive(r.categoryId)}
            >
              <span>{categoryName(r, lang)}</span>
              <RightOutlined />
            </button>
          </li>
        ))}
      </ul>
      <div className="cat-mega-panel">
        {root && (
          <button type="button" className="cat-mega-title link-button" data-testid={`cat-link-${root.categoryId}`} onClick={() => pick(root.categoryId)}>
            {t("cat.allOf", { name: categoryName(root, lang) })}
          </button>
        )}
        {groups.map((g) => {
          const leaves = tree.children.get(g.categoryId) ?? [];
          return (
            <div className="cat-mega-group" key={g.categoryId}>
              <button type="button" className="cat-mega-group-title link-button" data-testid={`cat-link-${g.categoryId}`} onClick={() => pick(g.categoryId)}>
                {categoryName(g, lang)}
              </button>
              <div className="cat-mega-leaves">
                {leaves.map((l) => (
                  <button type="button" key={l.categoryId} className="link-button" data-testid={`cat-link-${l.categoryId}`} onClick={() => pick(l.categoryId)}>
                    {categoryName(l, lang)}
                  </button>
                ))}
              </div>
            </div>
          );
        })}
      </div>
    </div>
  );

  return (
    <Popover content={content} trigger="click" open={open} onOpenChange={setOpen} placement="bottomLeft" arrow={false} styles={{ container: { padding: 0 } }}>
      <Button type="primary" icon={<AppstoreOutlined />} data-testid="category-menu">
        {t("cat.allCategories")} <DownOutlined />
      </Button>
    </Popover>
  );
}
