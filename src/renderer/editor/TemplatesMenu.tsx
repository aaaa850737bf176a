/**
 * Replaces the network with a template or with an empty stack (one undo step, like any edit). A popover,
 * so it closes on Escape or a click outside, and sits in the top layer above the panel's scroll area.
 */
import { useRef } from 'react';
import { TEMPLATES } from '../../engine/spec/templates';
import { Icon } from '../frame/Icon';
import { replaceSpec } from '../store/commands';
import { selectEdit } from '../store/selectors';
import { useStudio } from '../store/use-studio';
import { copyOfTemplate } from './template-choices';

const MENU_ID = 'templates-menu';

export function TemplatesMenu() {
  const edit = useStudio(selectEdit);
  const menu = useRef<HTMLDivElement>(null);
  const choose = (name: Parameters<typeof copyOfTemplate>[0]) => {
    edit((doc) => replaceSpec(doc, copyOfTemplate(name, doc.spec)), { select: null });
    menu.current?.hidePopover();
  };

  return (
    <>
      <button type="button" className="button templates-button" popoverTarget={MENU_ID}>
        Templates
        <Icon name="chevron" />
      </button>
      <div ref={menu} id={MENU_ID} className="popover-menu templates-menu" popover="auto">
        <ul className="popover-menu__list" aria-label="Templates">
          {TEMPLATES.map((template) => (
            <li key={template.name}>
              <button
                type="button"
                className="popover-menu__item templates-menu__item"
                onClick={() => choose(template.name)}
              >
                <span className="templates-menu__title">{template.title}</span>
                <span className="templates-menu__description">{template.description}</span>
              </button>
            </li>
          ))}
          <li>
            <button type="button" className="popover-menu__item templates-menu__item" onClick={() => choose('empty')}>
              <span className="templates-menu__title">Empty stack</span>
              <span className="templates-menu__description">No layers; the input shape and loss stay.</span>
            </button>
          </li>
        </ul>
      </div>
    </>
  );
}
