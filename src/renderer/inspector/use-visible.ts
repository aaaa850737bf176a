/** Whether an element is on screen: false while its tab is hidden or it is scrolled out of its panel. */
import { type RefObject, useEffect, useState } from 'react';

export function useVisible(element: RefObject<HTMLElement | null>): boolean {
  const [visible, setVisible] = useState(false);
  useEffect(() => {
    const node = element.current;
    if (!node) return;
    const observer = new IntersectionObserver((entries) => setVisible(entries.some((entry) => entry.isIntersecting)));
    observer.observe(node);
    return () => observer.disconnect();
  }, [element]);
  return visible;
}
